import { ValidationError, type ValidationIssue } from '../errors/redrive-error.js';

/**
 * The one shape of every validation failure: `[redrive] [where] path: message; ...` naming the
 * first three problems (and how many more), every one of them in `issues`.
 */
export function issuesError(where: string, issues: ValidationIssue[], cause?: unknown): ValidationError {
  const shown = issues.slice(0, 3).map((issue) => `${issue.path}: ${issue.message}`);
  if (issues.length > 3) shown.push(`and ${issues.length - 3} more`);
  return new ValidationError(`[redrive] [${where}] ${shown.join('; ')}`, { issues, cause });
}
