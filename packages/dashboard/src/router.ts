/** Hash routing: the server only ever serves index.html, so every view is addressable without server routes. */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'clusters' }
  | { name: 'new-cluster' }
  | { name: 'cluster'; clusterId: string }
  | { name: 'execution'; clusterId: string; runId: string }
  | { name: 'not-found'; path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'clusters' };
  if (parts[0] === 'clusters') {
    if (parts.length === 1) return { name: 'clusters' };
    if (parts.length === 2 && parts[1] === 'new') return { name: 'new-cluster' };
    if (parts.length === 2) return { name: 'cluster', clusterId: parts[1]! };
    if (parts.length === 4 && parts[2] === 'executions') return { name: 'execution', clusterId: parts[1]!, runId: parts[3]! };
  }
  return { name: 'not-found', path };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'clusters':
      return '#/clusters';
    case 'new-cluster':
      return '#/clusters/new';
    case 'cluster':
      return `#/clusters/${encodeURIComponent(route.clusterId)}`;
    case 'execution':
      return `#/clusters/${encodeURIComponent(route.clusterId)}/executions/${encodeURIComponent(route.runId)}`;
    case 'not-found':
      return `#${route.path}`;
  }
}

export function navigate(route: Route): void {
  location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => {
      setRoute(parseHash(location.hash));
      // Move focus to the new page's heading so keyboard and screen-reader users land on it.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
