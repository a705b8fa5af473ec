// Who is signed in, what they may do, and which screen is showing (the URL path).
import { useEffect, useState } from 'preact/hooks';
import type { Permission, Session } from '../api';

export type { Session };
export const can = (s: Session, wanted: Permission) => s.permissions.includes(wanted);

const pathListeners = new Set<() => void>();

export function navigate(path: string) {
  if (location.pathname !== path) history.pushState(null, '', path);
  for (const l of pathListeners) l();
}

export function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    addEventListener('popstate', on);
    pathListeners.add(on);
    return () => { removeEventListener('popstate', on); pathListeners.delete(on); };
  }, []);
  return path;
}
