'use client';
import { useEffect, useRef } from 'react';

/** Props of {@link SelectAllCheckbox}. */
export interface SelectAllProps {
  ids: string[];
  selected: ReadonlySet<string>;
  onChange: (selected: Set<string>) => void;
}

/** The header checkbox: checked when every row is, mixed when some are. */
export function SelectAllCheckbox({ ids, selected, onChange }: SelectAllProps) {
  const ref = useRef<HTMLInputElement>(null);
  const count = ids.filter((id) => selected.has(id)).length;
  const all = ids.length > 0 && count === ids.length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = count > 0 && !all;
  }, [count, all]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label="Select all"
      checked={all}
      disabled={ids.length === 0}
      onChange={() => onChange(all ? new Set() : new Set(ids))}
    />
  );
}

/** A row checkbox labelled "Select <name>". */
export function SelectRowCheckbox(props: {
  id: string;
  name: string;
  selected: ReadonlySet<string>;
  onChange: (selected: Set<string>) => void;
}) {
  const { id, name, selected, onChange } = props;
  return (
    <input
      type="checkbox"
      aria-label={`Select ${name}`}
      checked={selected.has(id)}
      onChange={(e) => {
        const next = new Set(selected);
        if (e.target.checked) next.add(id);
        else next.delete(id);
        onChange(next);
      }}
    />
  );
}
