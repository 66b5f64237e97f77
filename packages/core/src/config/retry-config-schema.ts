import * as z from 'zod';
import type { RetryConfigInput } from './retry-config.js';
import { retryConfigIssues } from './retry-config-rules.js';

/**
 * A zod schema of {@link RetryConfigInput} applying the rules of `resolveRetryConfig` (every field
 * optional, unknown keys refused), each problem reported at its field: for composing a retry
 * config into a schema of your own. The rules themselves need no zod, so the pure functions
 * (`calculateBackoffDelay`, `retry`, ...) bundle without it.
 *
 * @example z.object({ name: z.string(), retry: retryConfigSchema }).parse(input)
 */
export const retryConfigSchema: z.ZodType<RetryConfigInput> = z
  .custom<RetryConfigInput>()
  .superRefine((value, ctx) => {
    for (const issue of retryConfigIssues(value)) {
      const path =
        issue.path === '(root)' ? [] : issue.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      ctx.addIssue({ code: 'custom', path, message: issue.message });
    }
  });
