import type { Job } from '@redrive/core';
import { describe, expect, it } from 'vitest';
import {
  parseDashboardState,
  serializeDashboardState,
  stateToQuery,
} from '../components/dashboard/url-state.js';
import { jobsToCsv } from '../display/export-jobs.js';
import { formatRelativeTime } from '../display/format-time.js';
import { jobActionsFor } from '../display/job-actions-for.js';
import { getJobDisplayName } from '../display/job-display-name.js';

const job = (over: Partial<Job>): Job => ({ id: 'j1', type: 't', title: null, payload: {}, ...over }) as Job;

describe('getJobDisplayName', () => {
  const typeLabels = { 'process-document': 'Processing', export: 'Export' };
  it('joins the type label and the subject', () => {
    expect(
      getJobDisplayName(job({ type: 'process-document', title: 'The Man Who Sold the World.pdf' }), {
        typeLabels,
      }),
    ).toBe('Processing: The Man Who Sold the World.pdf');
    expect(
      getJobDisplayName(job({ type: 'export', payload: { documentIds: [1, 2, 3, 4, 5] } }), { typeLabels }),
    ).toBe('Export: 5 documents');
    expect(getJobDisplayName(job({ type: 'export', payload: { documentIds: [1] } }), { typeLabels })).toBe(
      'Export: 1 document',
    );
  });
  it('humanises unlabelled types, reads naming payload fields, accepts a function per type', () => {
    expect(getJobDisplayName(job({ type: 'send-email', payload: { to: 'ada@example.com' } }))).toBe(
      'Send email: ada@example.com',
    );
    expect(getJobDisplayName(job({ type: 'syncUsers' }))).toBe('Sync users');
    const byMode = { export: (j: Job) => `Export (${(j.payload as { mode: string }).mode})` };
    expect(getJobDisplayName(job({ type: 'export', payload: { mode: 'zip' } }), { typeLabels: byMode })).toBe(
      'Export (zip)',
    );
    // A type named like an Object.prototype member is not a label.
    expect(getJobDisplayName(job({ type: 'constructor' }), { typeLabels: {} })).toBe('Constructor');
  });
});

describe('jobActionsFor', () => {
  it('offers per status what the dashboard promises; pause only at a pause-safe checkpoint', () => {
    const cp = (pauseSafe: boolean) => ({ stage: 's', data: null, hash: '', pauseSafe, savedAt: 0 });
    expect(jobActionsFor({ status: 'running', checkpoint: cp(true), pauseRequested: false })).toEqual([
      'pause',
      'cancel',
    ]);
    expect(jobActionsFor({ status: 'running', checkpoint: cp(false), pauseRequested: false })).toEqual([
      'cancel',
    ]);
    expect(jobActionsFor({ status: 'running', checkpoint: null, pauseRequested: false })).toEqual(['cancel']);
    expect(jobActionsFor({ status: 'running', checkpoint: cp(true), pauseRequested: true })).toEqual([
      'cancel',
    ]);
    expect(jobActionsFor({ status: 'paused', checkpoint: null, pauseRequested: false })).toEqual([
      'resume',
      'cancel',
    ]);
    expect(jobActionsFor({ status: 'failed', checkpoint: null, pauseRequested: false })).toEqual([
      'retry',
      'restart',
      'delete',
    ]);
    expect(jobActionsFor({ status: 'completed', checkpoint: null, pauseRequested: false })).toEqual([
      'delete',
    ]);
    expect(jobActionsFor({ status: 'queued', checkpoint: null, pauseRequested: false })).toEqual(['cancel']);
    expect(jobActionsFor({ status: 'cancelled', checkpoint: null, pauseRequested: false })).toEqual([
      'retry',
      'delete',
    ]);
  });
});

describe('URL state', () => {
  it('round-trips filters, keeps the host page parameters, drops invalid values', () => {
    const state = parseDashboardState(
      '?tab=ops&status=failed&q=invoice&category=permanent_auth&view=dead-letters',
    );
    expect(state).toMatchObject({
      status: 'failed',
      q: 'invoice',
      category: 'permanent_auth',
      view: 'dead-letters',
    });
    expect(serializeDashboardState({ ...state, q: 'a b' }, '?tab=ops&q=old')).toBe(
      '?tab=ops&q=a+b&view=dead-letters&status=failed&category=permanent_auth',
    );
    expect(parseDashboardState('?status=bogus&category=nope&from=notadate&view=x')).toMatchObject({
      status: '',
      category: '',
      from: '',
      view: 'jobs',
    });
  });
  it('maps to a client query; status is not a dead-letter filter', () => {
    const from = '2026-01-01T00:00:00.000Z';
    expect(stateToQuery(parseDashboardState(`?status=failed&from=${from}&q=%20x%20`))).toEqual({
      status: 'failed',
      createdFrom: Date.parse(from),
      q: 'x',
    });
    expect(stateToQuery(parseDashboardState('?status=failed&view=dead-letters'))).toEqual({});
  });
});

describe('formatting and export', () => {
  it('formats relative times with Intl.RelativeTimeFormat', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(formatRelativeTime(now - 90_000, now, 'en')).toBe('2 minutes ago');
    expect(formatRelativeTime(now + 10_000, now, 'en')).toBe('in 10 seconds');
    expect(formatRelativeTime(now - 86_400_000, now, 'en')).toBe('yesterday');
  });
  it('writes CSV with quoting and without spreadsheet formulas', () => {
    const csv = jobsToCsv(
      [
        job({
          id: 'a',
          status: 'failed',
          error: '=HYPERLINK("x"), "quoted"',
          createdAt: 0,
          updatedAt: 0,
        } as Partial<Job>),
      ],
      () => 'Name, with comma',
    );
    const [header, row] = csv.split('\r\n');
    expect(header).toBe('id,type,name,status,attempt,maxAttempts,errorCategory,error,createdAt,updatedAt');
    expect(row).toContain('"Name, with comma"');
    expect(row).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
  });
});
