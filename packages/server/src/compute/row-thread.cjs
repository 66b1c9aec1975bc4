// Entry of an engine helper thread (see row-threads.ts). CommonJS on purpose: tsx's require hook
// is active as soon as a worker starts, while its ESM hooks are not yet for the worker's first import.
'use strict';
const { workerData } = require('node:worker_threads');
require(workerData.module).serveRowTasks(workerData.port, workerData.signal);
