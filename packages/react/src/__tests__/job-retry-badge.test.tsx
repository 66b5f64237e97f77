// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { JobRetryBadge } from '../components/job-retry-badge.js';

afterEach(cleanup);

describe('JobRetryBadge', () => {
  it.each([
    [{ status: 'completed' as const }, 'Completed'],
    [{ status: 'failed' as const, retryCount: 5, maxRetries: 5 }, 'Failed'],
    [{ status: 'running' as const, retryCount: 1, maxRetries: 5 }, 'Running'],
    [{ status: 'queued' as const, retryCount: 0, maxRetries: 5 }, 'Queued'],
    [{ status: 'queued' as const }, 'Queued'],
    [{ status: 'queued' as const, retryCount: 2, maxRetries: 5 }, 'Retry 2/5'],
    [{ status: 'queued' as const, retryCount: 2, maxAttempts: 4 }, 'Retry 2/4'],
    // Both: maxAttempts is the name, maxRetries its alias; a badge does not throw while rendering.
    [{ status: 'queued' as const, retryCount: 2, maxAttempts: 4, maxRetries: 9 }, 'Retry 2/4'],
    [{ status: 'queued' as const, retryCount: 2, maxAttempts: null }, 'Retry 2/∞'],
    [{ status: 'queued' as const, retryCount: 3, maxRetries: Number.POSITIVE_INFINITY }, 'Retry 3/∞'],
    [{ status: 'cancelled' as const }, 'Cancelled'],
    [{ status: 'paused' as const, retryCount: 1, maxRetries: 3 }, 'Paused'],
  ])('hand-built props %o read "%s"', (props, label) => {
    const { container } = render(<JobRetryBadge {...props} />);
    const badge = container.querySelector('.redrive-badge')!;
    expect(badge.getAttribute('data-status')).toBe(props.status);
    // The icon is decoration (drawn by CSS): the badge's text is exactly the label.
    expect(badge.querySelector('[aria-hidden="true"]')!.getAttribute('data-icon')).not.toBe('');
    expect(badge.textContent).toBe(label);
  });

  it('reads a whole job: attempt used / maxAttempts, as docs/concepts/attempts.md defines them', () => {
    const { container } = render(
      <JobRetryBadge
        job={{ status: 'queued', attempt: 1, maxAttempts: 3, errorCategory: 'transient_network' }}
      />,
    );
    expect(container.querySelector('.redrive-badge')!.textContent).toBe('Retry 1/3');
  });

  it('has a tooltip and description with status, attempts and the category label', () => {
    render(
      <JobRetryBadge status="queued" retryCount={2} maxAttempts={5} errorCategory="transient_rate_limit" />,
    );
    const badge = screen.getByText('Retry 2/5').closest('.redrive-badge')!;
    const tooltip = 'Status: queued · Attempts: 2 of 5 · Last error: Rate limited';
    expect(badge.getAttribute('title')).toBe(tooltip);
    expect(document.getElementById(badge.getAttribute('aria-describedby')!)?.textContent).toBe(tooltip);
  });
});
