'use client';
import { useEffect, useState } from 'react';

/** The dashboard's colour scheme: fixed, or following the system (`prefers-color-scheme`). */
export type DashboardTheme = 'light' | 'dark' | 'system';

const QUERY = '(prefers-color-scheme: dark)';

/** Resolves `system` to light or dark and follows the system while it changes. */
export function useResolvedTheme(theme: DashboardTheme): 'light' | 'dark' {
  const [systemDark, setSystemDark] = useState(
    () =>
      typeof window !== 'undefined' &&
      typeof window.matchMedia === 'function' &&
      window.matchMedia(QUERY).matches,
  );
  useEffect(() => {
    if (theme !== 'system' || typeof window === 'undefined' || typeof window.matchMedia !== 'function')
      return;
    const media = window.matchMedia(QUERY);
    const onChange = () => setSystemDark(media.matches);
    onChange();
    media.addEventListener?.('change', onChange);
    return () => media.removeEventListener?.('change', onChange);
  }, [theme]);
  if (theme === 'light' || theme === 'dark') return theme;
  return systemDark ? 'dark' : 'light';
}
