'use client';
import type { JobsClientError } from '../../client/jobs-client-error.js';

/** Loading, error and empty states of a list, and its "Load more" button. */
export function ListStates(props: {
  loading: boolean;
  error: JobsClientError | undefined;
  empty: boolean;
  emptyText: string;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  return (
    <>
      {props.error && (
        <div role="alert" className="redrive-alert">
          {props.error.message}
        </div>
      )}
      {props.loading && (
        <div role="status" className="redrive-muted">
          Loading…
        </div>
      )}
      {!props.loading && !props.error && props.empty && <p className="redrive-empty">{props.emptyText}</p>}
      {props.hasMore && (
        <button
          type="button"
          className="redrive-button"
          disabled={props.loadingMore}
          onClick={props.onLoadMore}
        >
          {props.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
