import { assertCategory } from './assert-category.js';
import type { ErrorCategory } from './categories.js';

interface CategoryInfo {
  label: string;
  description: string;
  action: string;
}

// One table, so a new category cannot get a label but no suggested action.
const INFO: Record<ErrorCategory, CategoryInfo> = {
  transient_network: {
    label: 'Network error',
    description:
      'A network failure (timeout, connection reset or refused, DNS) that usually clears on its own.',
    action:
      'No action needed: the job is retried with backoff. If it persists, check connectivity to the remote service.',
  },
  transient_timeout: {
    label: 'Timed out',
    description: 'The attempt ran longer than its time limit, or the remote service did not answer in time.',
    action:
      'No action needed: the job is retried. If it keeps timing out, raise the timeout or split the work.',
  },
  transient_rate_limit: {
    label: 'Rate limited',
    description: 'The remote service refused the request because too many were sent (HTTP 429).',
    action:
      'No action needed: the job waits (honouring Retry-After) and retries. If frequent, lower concurrency or raise your quota.',
  },
  transient_server: {
    label: 'Server error',
    description: 'The remote service failed on its side (HTTP 5xx) or is temporarily unavailable.',
    action:
      'No action needed: the job is retried with backoff. If it persists, check the service status page.',
  },
  transient_db_lock: {
    label: 'Database busy',
    description:
      'The database was locked or busy (SQLITE_BUSY, deadlock, lock timeout); another writer held the lock.',
    action:
      'No action needed: the job is retried after a short delay. If frequent, shorten transactions or lower write concurrency.',
  },
  permanent_validation: {
    label: 'Invalid input',
    description:
      'The input was rejected as invalid, malformed or incomplete (HTTP 400/422); retrying the same input fails again.',
    action: 'Fix the job payload or the data it refers to, then redrive the job.',
  },
  permanent_auth: {
    label: 'Not authorized',
    description: 'The credentials were missing, invalid or lack permission (HTTP 401/403).',
    action: 'Check API credentials and permissions',
  },
  permanent_not_found: {
    label: 'Not found',
    description: 'The resource the job refers to does not exist (HTTP 404/410).',
    action:
      'Check that the referenced resource exists (it may have been deleted), then redrive or delete the job.',
  },
  permanent_security: {
    label: 'Blocked',
    description:
      'The operation was refused for security reasons (sandbox violation, disallowed import or action).',
    action: 'Review the job input and code for the blocked operation; do not redrive until it is understood.',
  },
  permanent_quota: {
    label: 'Quota exceeded',
    description:
      'A quota, billing limit or credit balance was exhausted (HTTP 402); retrying will not help until it is raised.',
    action: 'Check your plan, billing and credit balance with the provider, then redrive the job.',
  },
  unknown: {
    label: 'Unknown error',
    description: 'The error did not match any known pattern.',
    action: 'Inspect the error message and stack; add a classification rule if this error recurs.',
  },
};

/**
 * One sentence describing what errors of this category mean. Throws `ValidationError`
 * for a value that is not a category.
 *
 * @example getErrorCategoryDescription('transient_rate_limit') // 'The remote service refused the request because too many were sent (HTTP 429).'
 */
export function getErrorCategoryDescription(category: ErrorCategory): string {
  assertCategory(category, 'getErrorCategoryDescription');
  return INFO[category].description;
}

/**
 * What a person should do about a job that failed with this category; stored on dead letters
 * as `suggestedAction`. Throws `ValidationError` for a value that is not a category.
 *
 * @example getSuggestedAction('permanent_auth') // 'Check API credentials and permissions'
 */
export function getSuggestedAction(category: ErrorCategory): string {
  assertCategory(category, 'getSuggestedAction');
  return INFO[category].action;
}

/**
 * A short human label for UIs (badges, tooltips, filters). Throws `ValidationError` for a
 * value that is not a category.
 *
 * @example getErrorCategoryLabel('transient_rate_limit') // 'Rate limited'
 */
export function getErrorCategoryLabel(category: ErrorCategory): string {
  assertCategory(category, 'getErrorCategoryLabel');
  return INFO[category].label;
}
