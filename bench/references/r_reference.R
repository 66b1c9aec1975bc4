# Runs one R dbscan-package computation for `npm run bench`.
#
# Usage: Rscript r_reference.R <job.txt>
# The job is `key=value` lines (base R has no JSON reader): method, data, n,
# d, result, labels, reachability, and param.<name> entries.
# Data loading is not timed; the timed region is the package call (for optics,
# the ordering plus extractXi, since scikit-learn's OPTICS.fit does both). The
# dbscan package is single-threaded. Cluster 0 (R's noise) is written as -1 and
# clusters 1..k as 0..k-1. Peak memory is VmHWM from /proc/self/status.

args <- commandArgs(trailingOnly = TRUE)
lines <- readLines(args[[1]])
split_at <- regexpr("=", lines, fixed = TRUE)
job <- setNames(substring(lines, split_at + 1), substring(lines, 1, split_at - 1))

json_string <- function(s) {
  paste0("\"", gsub("[\u0001-\u001f]", " ", gsub("\"", "\\\\\"", gsub("\\\\", "\\\\\\\\", s))), "\"")
}

json_number <- function(x) if (is.finite(x)) format(x, digits = 17, scientific = FALSE) else "null"

write_result <- function(fields) {
  body <- paste(sprintf("%s:%s", json_string(names(fields)), unlist(fields)), collapse = ",")
  writeLines(paste0("{", body, "}"), job[["result"]])
}

peak_kib <- function() {
  status <- readLines("/proc/self/status")
  as.numeric(gsub("[^0-9]", "", grep("^VmHWM:", status, value = TRUE)))
}

param <- function(name) as.numeric(job[[paste0("param.", name)]])

if (!requireNamespace("dbscan", quietly = TRUE)) {
  write_result(list(status = json_string("missing"), note = json_string("the R package dbscan is not installed (Debian: r-cran-dbscan)")))
  quit(status = 0)
}

n <- as.integer(job[["n"]])
d <- as.integer(job[["d"]])
con <- file(job[["data"]], "rb")
x <- matrix(readBin(con, "numeric", n = n * d, size = 4, endian = "little"), ncol = d, byrow = TRUE)
close(con)
loaded_kib <- peak_kib()

method <- job[["method"]]
reachability <- NULL
t0 <- proc.time()[["elapsed"]]
fit <- switch(method,
  dbscan = dbscan::dbscan(x, eps = param("eps"), minPts = param("minPts")),
  hdbscan = dbscan::hdbscan(x, minPts = param("minPts")),
  optics = dbscan::extractXi(dbscan::optics(x, minPts = param("minPts")), xi = param("xi")),
  stop(paste("r_reference.R has no method", method))
)
seconds <- proc.time()[["elapsed"]] - t0
run_peak_kib <- peak_kib()

labels <- as.integer(fit$cluster) - 1L
writeBin(labels, job[["labels"]], size = 4, endian = "little")
wrote <- "\"labels\":true"
if (method == "optics") {
  writeBin(as.numeric(fit$reachdist), job[["reachability"]], size = 8, endian = "little")
  wrote <- paste0(wrote, ",\"reachability\":true")
}

write_result(list(
  status = json_string("ok"),
  seconds = json_number(seconds),
  peakRssKiB = json_number(run_peak_kib),
  loadedRssKiB = json_number(loaded_kib),
  threads = json_string("1 (dbscan package is single-threaded)"),
  version = json_string(paste0("dbscan ", as.character(packageVersion("dbscan")), ", ", R.version$version.string)),
  wrote = paste0("{", wrote, "}")
))
