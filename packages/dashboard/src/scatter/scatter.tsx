/**
 * WebGL scatter of every point of a run (regl-scatterplot), fed by the binary scatter endpoint.
 * Colours follow the cluster cards; hovering a point shows its document (fetched on demand,
 * debounced); clicking a point or a legend entry highlights that cluster (the others are hidden until cleared).
 * Keyboard: focus the plot, then arrows pan, + and - zoom, 0 resets.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import createScatterplot from 'regl-scatterplot';
import { api, apiBinary, ApiError, enc } from '../api.ts';
import { colorFor, isNoise } from '../format.ts';
import type { DocumentResponse, ScatterPoint } from '../types.ts';
import { decodeScatter, normalizeCoordinates, type ScatterData } from './decode.ts';

type Plot = ReturnType<typeof createScatterplot>;

const HOVER_DEBOUNCE_MS = 150;
const HEIGHT = 520;

/** Timings the browser tests and `npm run bench` read (performance.now() is ms since navigation). */
interface ScatterProbe {
  points: number;
  fetchedAt: number | null;
  firstDrawAt: number | null;
  views: number;
  lastViewAt: number | null;
}
declare global {
  interface Window {
    __centroidScatter?: ScatterProbe;
  }
}

function rgba(hex: string, alpha: number): [number, number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255, alpha];
}

function pointSizeFor(count: number): number {
  if (count > 500_000) return 1.5;
  if (count > 100_000) return 2;
  if (count > 10_000) return 3;
  return 5;
}

interface HoverState {
  index: number;
  point?: ScatterPoint;
  document?: DocumentResponse | null;
  error?: string;
}

export function Scatter(props: { clusterId: string; runId: string; collections: string[]; highlight: string | null; onHighlight: (id: string | null) => void }) {
  const { clusterId, runId, collections, highlight, onHighlight } = props;
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const plot = useRef<Plot | null>(null);
  const [data, setData] = useState<ScatterData | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'error' | 'empty' | 'no-coordinates' | 'no-webgl'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [hover, setHover] = useState<HoverState | null>(null);
  const highlightRef = useRef(highlight);
  highlightRef.current = highlight;
  const onHighlightRef = useRef(onHighlight);
  onHighlightRef.current = onHighlight;
  // The cluster (and so its collections) may load after the plot is made: hover reads the latest.
  const collectionsRef = useRef(collections);
  collectionsRef.current = collections;

  // Fetch and decode the points.
  useEffect(() => {
    const controller = new AbortController();
    const probe: ScatterProbe = { points: 0, fetchedAt: null, firstDrawAt: null, views: 0, lastViewAt: null };
    window.__centroidScatter = probe;
    setState('loading');
    apiBinary(`/v1/clusters/${enc(clusterId)}/executions/${enc(runId)}/scatter`, { signal: controller.signal }).then(
      (buffer) => {
        const decoded = decodeScatter(buffer);
        probe.points = decoded.count;
        probe.fetchedAt = performance.now();
        setData(decoded);
        setState(decoded.count === 0 ? 'empty' : decoded.has_coordinates ? 'ready' : 'no-coordinates');
      },
      (err: Error) => {
        if (controller.signal.aborted) return;
        setError(err instanceof ApiError ? err.message : `Could not load the points: ${err.message}`);
        setState('error');
      },
    );
    return () => controller.abort();
  }, [clusterId, runId]);

  // Create the plot once the points are there.
  useEffect(() => {
    if (state !== 'ready' || !data || !canvas.current || !wrap.current) return;
    const width = wrap.current.clientWidth || 800;
    let instance: Plot;
    try {
      instance = createScatterplot({
        canvas: canvas.current,
        width,
        height: HEIGHT,
        pointSize: pointSizeFor(data.count),
        performanceMode: data.count > 500_000,
        backgroundColor: [1, 1, 1, 1],
        pointColor: data.clusters.map((c, i) => rgba(colorFor(i, c.cluster_id), 1)),
        pointColorHover: [0, 0, 0, 1],
        pointColorActive: [0, 0, 0, 1],
        colorBy: 'valueA',
        lassoOnLongPress: false,
        deselectOnDblClick: true,
      });
    } catch (err) {
      setError(`WebGL is not available in this browser (${(err as Error).message}); the cluster cards above still list every cluster.`);
      setState('no-webgl');
      return;
    }
    plot.current = instance;
    const probe = window.__centroidScatter!;
    const { x, y } = normalizeCoordinates(data);
    const valueA = new Float32Array(data.count);
    for (let i = 0; i < data.count; i++) valueA[i] = data.cluster[i]!;

    let hoverTimer: ReturnType<typeof setTimeout> | null = null;
    let hoverSeq = 0;
    instance.subscribe('pointOver', (index: number) => {
      if (hoverTimer) clearTimeout(hoverTimer);
      const seq = ++hoverSeq;
      hoverTimer = setTimeout(() => void describe(index, seq), HOVER_DEBOUNCE_MS);
    });
    instance.subscribe('pointOut', () => {
      if (hoverTimer) clearTimeout(hoverTimer);
      hoverSeq++;
    });
    instance.subscribe('select', ({ points }: { points: number[] }) => {
      if (points.length === 1) {
        const cluster = data.clusters[data.cluster[points[0]!]!];
        if (cluster) onHighlightRef.current(highlightRef.current === cluster.cluster_id ? null : cluster.cluster_id);
      }
    });
    instance.subscribe('view', () => {
      probe.views++;
      probe.lastViewAt = performance.now();
    });

    const describe = async (index: number, seq: number) => {
      setHover({ index });
      try {
        const point = await api<ScatterPoint>('GET', `/v1/clusters/${enc(clusterId)}/executions/${enc(runId)}/scatter/points/${index}`);
        if (seq !== hoverSeq) return;
        setHover({ index, point });
        let document: DocumentResponse | null = null;
        for (const collection of collectionsRef.current) {
          try {
            document = await api<DocumentResponse>('GET', `/v1/collections/${enc(collection)}/documents/${enc(point.document_id)}`);
            break;
          } catch (err) {
            if (!(err instanceof ApiError && err.status === 404)) throw err;
          }
        }
        if (seq === hoverSeq) setHover({ index, point, document });
      } catch (err) {
        if (seq === hoverSeq) setHover({ index, error: (err as Error).message });
      }
    };

    instance.draw({ x, y, valueA }, { zDataType: 'categorical' }).then(() => {
      if (probe.firstDrawAt === null) probe.firstDrawAt = performance.now();
      canvas.current?.setAttribute('data-drawn', 'true');
    });

    const observer = new ResizeObserver(() => {
      const w = wrap.current?.clientWidth;
      if (w && plot.current) plot.current.set({ width: w, height: HEIGHT });
    });
    observer.observe(wrap.current);
    return () => {
      observer.disconnect();
      if (hoverTimer) clearTimeout(hoverTimer);
      instance.destroy();
      plot.current = null;
    };
  }, [state, data]);

  // Highlight: show only the chosen cluster's points (regl-scatterplot 1.16 does not re-read a
  // changed colour or opacity map after the first draw, but filters by index are cheap).
  useEffect(() => {
    const p = plot.current;
    if (!p || !data) return;
    if (highlight === null) {
      void p.unfilter({ preventEvent: true });
      return;
    }
    const index = data.clusters.findIndex((c) => c.cluster_id === highlight);
    const members: number[] = [];
    for (let i = 0; i < data.count; i++) if (data.cluster[i] === index) members.push(i);
    void p.filter(members, { preventEvent: true });
  }, [highlight, data, state]);

  const onKeyDown = (e: KeyboardEvent) => {
    const p = plot.current;
    if (!p) return;
    const camera = p.get('camera');
    const [tx, ty] = camera.target as [number, number];
    const d = (camera.distance as [number, number])[0];
    const step = d * 0.15;
    const moves: Record<string, () => void> = {
      ArrowLeft: () => void p.zoomToLocation([tx - step, ty], d),
      ArrowRight: () => void p.zoomToLocation([tx + step, ty], d),
      ArrowUp: () => void p.zoomToLocation([tx, ty + step], d),
      ArrowDown: () => void p.zoomToLocation([tx, ty - step], d),
      '+': () => void p.zoomToLocation([tx, ty], d / 1.5),
      '=': () => void p.zoomToLocation([tx, ty], d / 1.5),
      '-': () => void p.zoomToLocation([tx, ty], d * 1.5),
      '0': () => void p.reset(),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      move();
    }
  };

  return (
    <section class="panel scatter" aria-labelledby="scatter-title">
      <h3 id="scatter-title" class="sr-only">
        Scatter plot of all points
      </h3>
      {state === 'loading' && (
        <p class="state state-loading" role="status">
          <span class="spinner" aria-hidden="true" /> Loading points…
        </p>
      )}
      {state === 'error' && (
        <p class="state state-error" role="alert">
          {error} Reload the page to try again.
        </p>
      )}
      {state === 'no-webgl' && (
        <p class="state state-error" role="alert">
          {error}
        </p>
      )}
      {state === 'empty' && <p class="state state-empty">This run has no points to plot.</p>}
      {state === 'no-coordinates' && (
        <p class="state state-empty" role="status">
          This run stored no 2-D coordinates, so there is nothing to place on a map. Runs made by a server with projections enabled have them: run the cluster again.
        </p>
      )}
      {(state === 'ready' || state === 'loading') && (
        <div class="scatter-layout">
          <div
            class="scatter-canvas"
            ref={wrap}
            tabIndex={0}
            role="application"
            aria-label={`Scatter plot of ${data?.count.toLocaleString('en-US') ?? ''} points coloured by cluster. Arrow keys pan, plus and minus zoom, 0 resets; drag and scroll with a mouse.`}
            onKeyDown={onKeyDown}
          >
            <canvas ref={canvas} data-testid="scatter-canvas" style={{ height: `${HEIGHT}px` }} />
          </div>
          <aside class="scatter-side">
            {data && (
              <>
                <p class="muted small">{data.count.toLocaleString('en-US')} points</p>
                <ul class="legend" aria-label="Clusters on the map">
                  {data.clusters.map((c, i) => (
                    <li key={c.cluster_id}>
                      <button type="button" class="legend-item" aria-pressed={highlight === c.cluster_id} onClick={() => onHighlight(highlight === c.cluster_id ? null : c.cluster_id)}>
                        <span class="swatch" style={{ background: colorFor(i, c.cluster_id) }} aria-hidden="true" />
                        {c.label ?? (isNoise(c.cluster_id) ? 'noise' : c.cluster_id)} <span class="muted">({c.num_members.toLocaleString('en-US')})</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <div class="hover-card" aria-live="polite" data-testid="hover-card">
              {hover === null ? (
                <p class="muted small">Hover a point to see its document; click a point or a legend entry to highlight its cluster.</p>
              ) : hover.error ? (
                <p class="field-error">{hover.error}</p>
              ) : !hover.point ? (
                <p class="muted small">Loading point {hover.index}…</p>
              ) : (
                <>
                  <p>
                    <strong class="mono">{hover.point.document_id}</strong> in <span class="mono">{hover.point.cluster_id}</span>
                  </p>
                  {hover.document === undefined ? (
                    <p class="muted small">Loading document…</p>
                  ) : hover.document === null ? (
                    <p class="muted small">The document is no longer in the cluster's collections.</p>
                  ) : (
                    <pre class="payload">{JSON.stringify(hover.document.metadata, null, 2)}</pre>
                  )}
                </>
              )}
            </div>
          </aside>
        </div>
      )}
    </section>
  );
}
