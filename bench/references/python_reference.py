#!/usr/bin/python3
"""Runs one reference computation for `npm run bench`: scikit-learn, faiss or umap-learn.

Usage: /usr/bin/python3 python_reference.py <job.json>  (job format: bench/engine/protocol.ts)

The tool is imported and the data loaded before the clock starts; the timed
region is the single fit/score call, with no warm-up call before it (first-call
costs such as numba compilation in umap-learn count, as V8's tier-up does for
Centroid). Thread counts come from the environment the harness sets
(OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, NUMBA_NUM_THREADS); estimators with an
n_jobs parameter get the same number. A tool that cannot be imported is
reported as missing, never as a crash.
"""
import json
import resource
import sys
import time
import traceback


def peak_rss_kib():
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def import_tool(method):
    """Imports what `method` needs; returns (tool version, thread description)."""
    import numpy  # noqa: F401  (a missing numpy is reported like a missing tool)

    if method.startswith('faiss.'):
        import faiss

        return 'faiss ' + faiss.__version__
    if method.startswith('umap.'):
        import umap  # noqa: F401
        from importlib.metadata import version

        return 'umap-learn ' + version('umap-learn')
    import sklearn

    return 'scikit-learn ' + sklearn.__version__


def describe_threads(method, threads):
    parts = []
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            name = pool.get('internal_api', '?')
            if pool.get('threading_layer'):
                name += '/' + pool['threading_layer']
            parts.append('%s %d' % (name, pool['num_threads']))
    except ImportError:
        parts.append('threadpoolctl missing')
    if method.startswith('faiss.'):
        import faiss

        parts.append('faiss omp %d' % faiss.omp_get_max_threads())
    if method.startswith('umap.'):
        import numba

        parts.append('numba %d' % numba.get_num_threads())
    if method in N_JOBS_METHODS:
        parts.append('n_jobs %d' % threads)
    return ', '.join(parts)


def load(job):
    import numpy as np

    n, d = job['data']['n'], job['data']['d']
    x = np.fromfile(job['data']['path'], dtype='<f4', count=n * d).reshape(n, d)
    y = np.fromfile(job['data']['labelsPath'], dtype='<i4', count=n)
    return x, y


class Clock:
    def __init__(self):
        self.seconds = None
        self.peak_kib = None

    def measure(self, call):
        t0 = time.perf_counter()
        value = call()
        self.seconds = time.perf_counter() - t0
        self.peak_kib = peak_rss_kib()
        return value


def sk_kmeans(x, y, p, threads, clock):
    from sklearn.cluster import KMeans

    def fit(seed):
        return KMeans(n_clusters=p['n_clusters'], n_init=p['n_init'], algorithm=p['algorithm'], random_state=seed).fit(x)

    if 'seeds' not in p:
        model = clock.measure(lambda: fit(p['random_state']))
        return {'labels': model.labels_, 'quality': {'inertia': float(model.inertia_)}, 'info': {'nIter': int(model.n_iter_)}}
    # A seed sweep: one fit per random_state 0..seeds-1, judged by the median run (as the Centroid adapter does).
    models = sorted(clock.measure(lambda: [fit(seed) for seed in range(p['seeds'])]), key=lambda m: m.inertia_)
    median = models[(len(models) - 1) // 2]
    return {
        'labels': median.labels_,
        'quality': {'inertia': float(median.inertia_)},
        'info': {'seeds': len(models), 'bestInertia': float('%.5g' % models[0].inertia_), 'worstInertia': float('%.5g' % models[-1].inertia_)},
    }


def sk_minibatch_kmeans(x, y, p, threads, clock):
    from sklearn.cluster import MiniBatchKMeans

    model = MiniBatchKMeans(n_clusters=p['n_clusters'], n_init=3, random_state=p['random_state'])
    clock.measure(lambda: model.fit(x))
    return {'labels': model.labels_, 'quality': {'inertia': float(model.inertia_)}, 'info': {'nIter': int(model.n_iter_)}}


def faiss_kmeans(x, y, p, threads, clock):
    import faiss
    import numpy as np

    faiss.omp_set_num_threads(threads)
    x = np.ascontiguousarray(x)
    model = faiss.Kmeans(x.shape[1], p['k'], niter=p['niter'], seed=p['seed'], verbose=False)

    # faiss.Kmeans.train only fits centroids; the search that labels every row
    # is part of the work sklearn's fit does too, so it is timed.
    def fit():
        model.train(x)
        return model.index.search(x, 1)

    distances, labels = clock.measure(fit)
    return {'labels': labels[:, 0], 'quality': {'inertia': float(distances.sum(dtype=np.float64))}}


def sk_metric(name):
    def run(x, y, p, threads, clock):
        import sklearn.metrics

        fn = getattr(sklearn.metrics, name)
        return {'quality': {'score': float(clock.measure(lambda: fn(x, y)))}}

    return run


def sk_dbscan(x, y, p, threads, clock):
    from sklearn.cluster import DBSCAN

    model = DBSCAN(eps=p['eps'], min_samples=p['min_samples'], n_jobs=threads)
    clock.measure(lambda: model.fit(x))
    return {'labels': model.labels_}


def sk_optics(x, y, p, threads, clock):
    from sklearn.cluster import OPTICS

    model = OPTICS(min_samples=p['min_samples'], xi=p['xi'], n_jobs=threads)
    clock.measure(lambda: model.fit(x))
    return {'labels': model.labels_, 'reachability': model.reachability_}


def sk_agglomerative(x, y, p, threads, clock):
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=p['n_clusters'], linkage=p['linkage'])
    clock.measure(lambda: model.fit(x))
    return {'labels': model.labels_}


def sk_gaussian_mixture(x, y, p, threads, clock):
    from sklearn.mixture import GaussianMixture

    def fit(seed):
        return GaussianMixture(n_components=p['n_components'], covariance_type=p['covariance_type'], n_init=p['n_init'], random_state=seed).fit(x)

    if 'seeds' in p:
        # A seed sweep, judged by the run with the median log-likelihood (as the Centroid adapter does).
        models = clock.measure(lambda: [fit(seed) for seed in range(p['seeds'])])
        scored = sorted(((float(m.score(x)), m) for m in models), key=lambda t: -t[0])
        score, median = scored[(len(scored) - 1) // 2]
        return {
            'labels': median.predict(x),
            'quality': {'meanLogLikelihood': score},
            'info': {'seeds': len(scored), 'best': round(scored[0][0], 4), 'worst': round(scored[-1][0], 4)},
        }
    model = clock.measure(lambda: fit(p['random_state']))
    return {
        'labels': model.predict(x),
        'quality': {'meanLogLikelihood': float(model.score(x))},
        'info': {'nIter': int(model.n_iter_), 'converged': bool(model.converged_)},
    }


def sk_pca(x, y, p, threads, clock):
    from sklearn.decomposition import PCA

    model = PCA(n_components=p['n_components'], svd_solver=p['svd_solver'], random_state=p['random_state'])
    return {'embedding': clock.measure(lambda: model.fit_transform(x))}


def umap_umap(x, y, p, threads, clock):
    import umap

    # No random_state: umap-learn runs single-threaded when given one.
    model = umap.UMAP(n_neighbors=p['n_neighbors'], n_components=p['n_components'], min_dist=p['min_dist'], n_jobs=threads)
    return {'embedding': clock.measure(lambda: model.fit_transform(x))}


def sk_trustworthiness(x, y, p, threads, clock):
    """Quality of an embedding another child wrote; the harness does not compare its time."""
    import numpy as np
    from sklearn.manifold import trustworthiness

    embedding = np.fromfile(p['embedding'], dtype='<f4', count=x.shape[0] * p['n_components']).reshape(x.shape[0], -1)
    value = clock.measure(lambda: trustworthiness(x, embedding, n_neighbors=p['n_neighbors']))
    return {'quality': {'trustworthiness': float(value)}}


METHODS = {
    'sklearn.KMeans': sk_kmeans,
    'sklearn.MiniBatchKMeans': sk_minibatch_kmeans,
    'faiss.Kmeans': faiss_kmeans,
    'sklearn.silhouette_score': sk_metric('silhouette_score'),
    'sklearn.davies_bouldin_score': sk_metric('davies_bouldin_score'),
    'sklearn.calinski_harabasz_score': sk_metric('calinski_harabasz_score'),
    'sklearn.DBSCAN': sk_dbscan,
    'sklearn.OPTICS': sk_optics,
    'sklearn.AgglomerativeClustering': sk_agglomerative,
    'sklearn.GaussianMixture': sk_gaussian_mixture,
    'sklearn.PCA': sk_pca,
    'umap.UMAP': umap_umap,
    'sklearn.trustworthiness': sk_trustworthiness,
}
N_JOBS_METHODS = {'sklearn.DBSCAN', 'sklearn.OPTICS', 'umap.UMAP'}


def write_outputs(job, output):
    import numpy as np

    wrote = {}
    for key, dtype in (('labels', '<i4'), ('embedding', '<f4'), ('reachability', '<f8')):
        if key in output:
            np.ascontiguousarray(output[key], dtype=dtype).tofile(job['out'][key])
            wrote[key] = True
    return wrote


def run(job):
    method = job['method']
    if method not in METHODS:
        return {'status': 'failed', 'note': 'python_reference.py has no method ' + method}
    try:
        version = import_tool(method)
    except ImportError as error:
        return {'status': 'missing', 'note': '%s not available to %s: %s' % (method.split('.')[0], sys.executable, error)}
    x, y = load(job)
    loaded_kib = peak_rss_kib()
    clock = Clock()
    output = METHODS[method](x, y, job['params'], job['threads'], clock)
    return {
        'status': 'ok',
        'seconds': clock.seconds,
        'peakRssKiB': clock.peak_kib,
        'loadedRssKiB': loaded_kib,
        'threads': describe_threads(method, job['threads']),
        'version': '%s, python %d.%d' % (version, sys.version_info[0], sys.version_info[1]),
        'quality': output.get('quality', {}),
        'info': output.get('info', {}),
        'wrote': write_outputs(job, output),
    }


def main():
    with open(sys.argv[1]) as f:
        job = json.load(f)
    try:
        result = run(job)
    except Exception as error:  # reported in the table instead of aborting the whole benchmark
        traceback.print_exc()
        result = {'status': 'failed', 'note': '%s: %s' % (type(error).__name__, error)}
    with open(job['out']['result'], 'w') as f:
        json.dump(result, f)


if __name__ == '__main__':
    main()
