'use client';
import type { Job } from '@redrive/core';
import { createContext, useContext } from 'react';
import type { UseJobActionsResult } from '../../hooks/use-job-actions.js';

/** What every part of the dashboard shares: naming, locale, permissions, the clock, actions. */
export interface DashboardContextValue {
  displayName: (job: Job) => string;
  locale: string | undefined;
  readOnly: boolean;
  now: () => number;
  actions: UseJobActionsResult;
  /** Open the detail panel of a job (null closes it). */
  openJob: (id: string | null) => void;
  /** Say something to screen readers and show it in the status line. */
  announce: (message: string) => void;
}

/** Provided by `JobQueueDashboard` to its parts. */
export const DashboardContext = createContext<DashboardContextValue | null>(null);

/** The dashboard's shared context; only used inside `JobQueueDashboard`. */
export function useDashboard(): DashboardContextValue {
  const value = useContext(DashboardContext);
  if (!value)
    throw new Error('[redrive] [react] dashboard parts must be rendered inside <JobQueueDashboard>');
  return value;
}
