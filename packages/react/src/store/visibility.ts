/** Whether the page is visible, and a way to hear when that changes. Injectable for tests and non-DOM hosts. */
export interface VisibilitySource {
  isVisible(): boolean;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/**
 * `document.visibilityState` (a hidden tab stops polling; showing it again refreshes at once).
 * Without a `document` (server rendering, workers) the page counts as always visible.
 */
export const documentVisibility: VisibilitySource = {
  isVisible: () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
  subscribe(listener) {
    if (typeof document === 'undefined') return () => {};
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
};
