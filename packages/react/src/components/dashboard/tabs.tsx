'use client';
import { type KeyboardEvent, useRef } from 'react';

const TABS = [
  ['jobs', 'Jobs'],
  ['dead-letters', 'Dead letters'],
] as const;

/** The view switch (tablist); arrow keys, Home and End move between tabs. */
export function ViewTabs(props: {
  view: 'jobs' | 'dead-letters';
  panelId: string;
  deadLetterCount: number | undefined;
  onChange: (view: 'jobs' | 'dead-letters') => void;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const next =
      e.key === 'ArrowRight'
        ? (index + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (index + TABS.length - 1) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    props.onChange(TABS[next]![0]);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="Views" className="redrive-tabs">
      {TABS.map(([value, label], i) => {
        const selected = props.view === value;
        return (
          <button
            key={value}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${props.panelId}-tab-${value}`}
            aria-selected={selected}
            aria-controls={props.panelId}
            tabIndex={selected ? 0 : -1}
            onClick={() => props.onChange(value)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {label}
            {value === 'dead-letters' && props.deadLetterCount ? (
              <span className="redrive-count" aria-hidden="true">
                {props.deadLetterCount}
              </span>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}
