'use client';

/** Props of {@link Toolbar}. */
export interface ToolbarProps {
  autoRefresh: boolean;
  onAutoRefresh: (on: boolean) => void;
  onRefresh: () => void;
  refreshing: boolean;
  onExport: (format: 'json' | 'csv') => void;
  canExport: boolean;
  readOnly: boolean;
  updated: string | null;
}

/** Refresh, the auto-refresh switch, exports, and the read-only marker. */
export function Toolbar(props: ToolbarProps) {
  return (
    <div className="redrive-toolbar">
      <button
        type="button"
        className="redrive-button"
        onClick={props.onRefresh}
        aria-busy={props.refreshing || undefined}
      >
        Refresh
      </button>
      <label className="redrive-check">
        <input
          type="checkbox"
          checked={props.autoRefresh}
          onChange={(e) => props.onAutoRefresh(e.target.checked)}
        />
        Auto-refresh
      </label>
      <button
        type="button"
        className="redrive-button"
        disabled={!props.canExport}
        onClick={() => props.onExport('json')}
      >
        Export JSON
      </button>
      <button
        type="button"
        className="redrive-button"
        disabled={!props.canExport}
        onClick={() => props.onExport('csv')}
      >
        Export CSV
      </button>
      {props.readOnly && <span className="redrive-flag">Read-only</span>}
      {props.updated && <span className="redrive-muted">Updated {props.updated}</span>}
    </div>
  );
}
