#!/usr/bin/env Rscript
# Read a concord release's CSV files the way R users will, and check that the readers agree.
#
# Usage: Rscript tests/consumers/check_release.R DIR [REPO]
#
# DIR is a release directory (normally data/release). For every CSV resource of the six release
# tables in DIR/datapackage.json it builds readr col_types and data.table colClasses from the
# resource's Table Schema (string -> character, integer -> double holding whole numbers,
# number -> double, boolean -> logical, date -> Date; "" = missing) and checks that readr,
# data.table::fread and base R's read.csv all parse the file without problems or warnings,
# agree on the number of records and on the column names (= the schema's), give the schema's
# types, and read the same values. Last it runs the ```r blocks of README.md
# "## Use the data" -> "### R" with REPO (default: two levels above this file) as working
# directory.
#
# One line per check (PASS/FAIL name: detail), then `N passed, M failed`; exit status 1 when
# anything failed. Needs readr, data.table and jsonlite (Debian: r-cran-readr,
# r-cran-data.table, r-cran-jsonlite).

TABLES <- c("documents", "claims", "events", "event_claims", "event_documents", "event_counts")

passed <- 0L
failed <- 0L

one_line <- function(x) gsub("[\r\n]+", " | ", paste(x, collapse = " "))

check <- function(name, fn) {
  r <- tryCatch(list(ok = TRUE, detail = fn()),
                error = function(e) list(ok = FALSE, detail = conditionMessage(e)))
  if (r$ok) {
    passed <<- passed + 1L
    d <- r$detail
    extra <- if (is.character(d) && length(d) == 1 && nzchar(d)) paste0(": ", d) else ""
    cat("PASS ", name, extra, "\n", sep = "")
  } else {
    failed <<- failed + 1L
    cat("FAIL ", name, ": ", substr(one_line(r$detail), 1, 2000), "\n", sep = "")
  }
  invisible(r$ok)
}

# Evaluate expr, collecting its warnings (a reader that warns has misread something). The
# warnings are muffled, not turned into errors inside the reader: unwinding out of fread's C
# code leaves it in a state that makes the next fread() warn.
with_warnings <- function(expr) {
  warns <- character()
  value <- withCallingHandlers(expr, warning = function(w) {
    warns <<- c(warns, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(value = value, warnings = warns)
}

no_warnings <- function(r, reader) {
  if (length(r$warnings)) stop(reader, " warned: ", paste(unique(r$warnings), collapse = "; "))
  r$value
}

readr_spec <- function(type) {
  switch(type,
         string = readr::col_character(),
         integer = readr::col_double(),
         number = readr::col_double(),
         boolean = readr::col_logical(),
         date = readr::col_date(format = "%Y-%m-%d"),
         stop("unknown schema type ", type))
}

fread_class <- function(type) {
  switch(type,
         string = "character",
         integer = "numeric",
         number = "numeric",
         boolean = "logical",
         date = "Date",
         stop("unknown schema type ", type))
}

expected_class <- function(type) {
  switch(type,
         string = "character",
         integer = "numeric",
         number = "numeric",
         boolean = "logical",
         date = "Date")
}

has_class <- function(x, type) {
  switch(type,
         string = is.character(x),
         integer = is.numeric(x),
         number = is.numeric(x),
         boolean = is.logical(x),
         date = inherits(x, "Date"))
}

type_problems <- function(df, names, types, reader) {
  bad <- character()
  for (i in seq_along(names)) {
    n <- names[i]
    if (!n %in% colnames(df)) next
    x <- df[[n]]
    if (!has_class(x, types[i])) {
      bad <- c(bad, sprintf("%s reads %s as %s, schema type %s wants %s", reader, n,
                            paste(class(x), collapse = "/"), types[i], expected_class(types[i])))
    } else if (types[i] == "integer") {
      v <- x[!is.na(x)]
      if (any(v != trunc(v)) || any(abs(v) > 2^53)) {
        bad <- c(bad, sprintf("%s: integer column %s holds non-whole or out-of-range values", reader, n))
      }
    }
  }
  bad
}

# Fenced code blocks in `langs` under "## Use the data" -> "### <subsection>".
readme_blocks <- function(lines, subsection, langs) {
  blocks <- list()
  in_use <- FALSE
  in_sub <- FALSE
  fence <- NA_character_
  collecting <- FALSE
  buf <- character()
  for (line in lines) {
    if (is.na(fence)) {
      indent <- nchar(line) - nchar(sub("^ +", "", line))
      m <- regmatches(line, regexec("^ *(`{3,}|~{3,})[[:space:]]*([^[:space:]`{]*)", line, perl = TRUE))[[1]]
      if (length(m) && indent < 4) {
        fence <- m[2]
        collecting <- in_use && in_sub && tolower(m[3]) %in% langs
        buf <- character()
        next
      }
      h <- regmatches(line, regexec("^(#{1,6})\\s+(.*?)\\s*#*\\s*$", line, perl = TRUE))[[1]]
      if (length(h)) {
        level <- nchar(h[2])
        title <- trimws(h[3])
        if (level <= 2) {
          in_use <- level == 2 && tolower(title) == "use the data"
          in_sub <- FALSE
        } else if (level == 3 && in_use) {
          in_sub <- grepl(paste0("^", subsection, "\\b"), title, ignore.case = TRUE, perl = TRUE)
        }
      }
    } else {
      s <- trimws(line)
      ch <- substr(fence, 1, 1)
      if (nchar(s) >= nchar(fence) && gsub(if (ch == "`") "`" else "~", "", s, fixed = TRUE) == "") {
        if (collecting) blocks[[length(blocks) + 1]] <- paste(c(buf, ""), collapse = "\n")
        fence <- NA_character_
        collecting <- FALSE
      } else {
        buf <- c(buf, line)
      }
    }
  }
  blocks
}

run_snippet <- function(code, repo, release, n) {
  script <- tempfile(pattern = sprintf("readme_%d_", n), fileext = ".R")
  writeLines(code, script, useBytes = TRUE)
  on.exit(unlink(script), add = TRUE)
  Sys.setenv(CONCORD_RELEASE = normalizePath(release, mustWork = FALSE))
  old <- setwd(repo)
  on.exit(setwd(old), add = TRUE)
  out <- suppressWarnings(system2(file.path(R.home("bin"), "Rscript"), shQuote(script),
                                  stdout = TRUE, stderr = TRUE))
  status <- attr(out, "status")
  if (!is.null(status) && status != 0) {
    stop(sprintf("exit %d: %s", status, one_line(utils::tail(out, 8))))
  }
  sprintf("ok (%d lines of output)%s", length(out),
          if (length(out)) paste0(", last: ", substr(out[length(out)], 1, 100)) else "")
}

check_table <- function(dir, res) {
  path <- file.path(dir, res$path)
  fname <- basename(res$path)
  fields <- res$schema$fields
  names <- vapply(fields, function(f) f$name, "")
  types <- vapply(fields, function(f) f$type, "")
  got <- list()

  check(sprintf("%s: no BOM, no CR", fname), function() {
    raw <- readBin(path, "raw", file.size(path))
    bad <- character()
    if (length(raw) >= 3 && identical(raw[1:3], as.raw(c(0xef, 0xbb, 0xbf)))) bad <- "starts with a UTF-8 BOM"
    if (any(raw == as.raw(0x0d))) bad <- c(bad, "contains \\r")
    if (length(bad)) stop(paste(bad, collapse = "; "))
    sprintf("%d bytes", length(raw))
  })

  check(sprintf("%s: schema types are known", fname), function() {
    bad <- setdiff(unique(types), c("string", "integer", "number", "boolean", "date"))
    if (length(bad)) stop("unknown types: ", paste(bad, collapse = ", "))
    sprintf("%d fields", length(names))
  })
  if (!all(types %in% c("string", "integer", "number", "boolean", "date"))) return(invisible())

  check(sprintf("%s: readr::read_csv with schema col_types", fname), function() {
    spec <- do.call(readr::cols, c(stats::setNames(lapply(types, readr_spec), names),
                                   list(.default = readr::col_character())))
    r <- with_warnings(readr::read_csv(path, col_types = spec, na = "", trim_ws = FALSE,
                                       progress = FALSE, lazy = FALSE,
                                       locale = readr::locale(encoding = "UTF-8")))
    df <- r$value
    p <- readr::problems(df)
    if (nrow(p)) {
      p <- as.data.frame(utils::head(p, 5))
      p$col <- colnames(df)[p$col]
      stop(sprintf("%d parse problems (row, column, expected, actual): %s", nrow(readr::problems(df)),
                   paste(sprintf("%s, %s, %s, '%s'", p$row, p$col, p$expected, p$actual),
                         collapse = "; ")))
    }
    no_warnings(r, "readr")
    bad <- type_problems(df, names, types, "readr")
    if (length(bad)) stop(paste(bad, collapse = "; "))
    got$readr <<- as.data.frame(df)
    sprintf("%d rows", nrow(df))
  })

  check(sprintf("%s: data.table::fread with schema colClasses", fname), function() {
    cc <- stats::setNames(vapply(types, fread_class, ""), names)
    dt <- no_warnings(with_warnings(data.table::fread(path, sep = ",", quote = "\"", header = TRUE,
                                   na.strings = "", colClasses = cc, encoding = "UTF-8",
                                   strip.white = FALSE, showProgress = FALSE,
                                   data.table = FALSE)), "fread")
    bad <- type_problems(dt, names, types, "fread")
    if (length(bad)) stop(paste(bad, collapse = "; "))
    # fread returns a quoted field's content with RFC 4180 doubled quotes left doubled
    # (data.table issues #1109, #4779); undoubling them is the documented workaround.
    undoubled <- character()
    for (n in names[types == "string"]) {
      x <- dt[[n]]
      if (any(grepl("\"\"", x, fixed = TRUE))) {
        dt[[n]] <- gsub("\"\"", "\"", x, fixed = TRUE)
        undoubled <- c(undoubled, n)
      }
    }
    got$fread <<- dt
    sprintf("%d rows%s", nrow(dt), if (length(undoubled))
      sprintf(" (note: fread left \"\" doubled in %s; undoubled before comparing)",
              paste(undoubled, collapse = ", ")) else "")
  })

  check(sprintf("%s: base R read.csv", fname), function() {
    df <- no_warnings(with_warnings(utils::read.csv(path, colClasses = "character", na.strings = character(0),
                                 check.names = FALSE, stringsAsFactors = FALSE,
                                 encoding = "UTF-8", quote = "\"", comment.char = "",
                                 strip.white = FALSE, blank.lines.skip = FALSE)), "read.csv")
    got$base <<- df
    sprintf("%d rows", nrow(df))
  })

  check(sprintf("%s: readr, fread and read.csv agree on the record count", fname), function() {
    if (length(got) < 3) stop("a reader failed (see above)")
    n <- vapply(got, nrow, 0L)
    if (length(unique(n)) != 1) {
      stop("record counts differ: ", paste(names(n), n, sep = "=", collapse = ", "))
    }
    sprintf("%d rows", n[[1]])
  })

  check(sprintf("%s: column names equal the schema's", fname), function() {
    if (!length(got)) stop("no reader succeeded")
    for (r in names(got)) {
      if (!identical(colnames(got[[r]]), names)) {
        stop(sprintf("%s reads columns [%s], schema has [%s]", r,
                     paste(colnames(got[[r]]), collapse = ","), paste(names, collapse = ",")))
      }
    }
    sprintf("%d readers", length(got))
  })

  check(sprintf("%s: readr and fread read the same values", fname), function() {
    if (is.null(got$readr) || is.null(got$fread)) stop("a reader failed (see above)")
    a <- got$readr
    b <- got$fread
    if (nrow(a) != nrow(b)) stop("different row counts")
    for (n in intersect(names, intersect(colnames(a), colnames(b)))) {
      x <- a[[n]]
      y <- b[[n]]
      if (inherits(x, "Date") || inherits(y, "Date")) {
        x <- as.character(as.Date(x))
        y <- as.character(as.Date(y))
      }
      x <- as.vector(x)
      y <- as.vector(y)
      same <- identical(is.na(x), is.na(y)) &&
        isTRUE(all.equal(x[!is.na(x)], y[!is.na(y)], check.attributes = FALSE))
      if (!same) {
        i <- which(xor(is.na(x), is.na(y)) | (!is.na(x) & !is.na(y) & x != y))[1]
        stop(sprintf("column %s differs at row %s: readr %s, fread %s", n, i,
                     format(x[i]), format(y[i])))
      }
    }
    "all columns"
  })
  invisible()
}

main <- function() {
  args <- commandArgs(trailingOnly = TRUE)
  if (length(args) < 1) stop("usage: Rscript check_release.R DIR [REPO]")
  dir <- args[1]
  file_arg <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
  repo <- if (length(args) >= 2) args[2] else
    normalizePath(file.path(dirname(normalizePath(file_arg[1])), "..", ".."))
  cat(sprintf("# release %s\n# %s, readr %s, data.table %s\n", normalizePath(dir, mustWork = FALSE),
              R.version.string, utils::packageVersion("readr"), utils::packageVersion("data.table")))

  pkg <- NULL
  ok <- check("datapackage.json parses (jsonlite)", function() {
    if (!requireNamespace("jsonlite", quietly = TRUE)) {
      stop("R package jsonlite is not installed (Debian: r-cran-jsonlite)")
    }
    f <- file.path(dir, "datapackage.json")
    if (!file.exists(f)) stop(f, " does not exist")
    pkg <<- jsonlite::fromJSON(f, simplifyVector = FALSE)
    sprintf("%d resources", length(pkg$resources))
  })
  if (ok) {
    csv_res <- list()
    for (r in pkg$resources) {
      if (is.character(r$path) && grepl("\\.csv$", r$path)) {
        csv_res[[sub("\\.csv$", "", basename(r$path))]] <- r
      }
    }
    for (t in TABLES) {
      r <- csv_res[[t]]
      has <- check(sprintf("%s.csv: listed in datapackage.json with a schema", t), function() {
        if (is.null(r)) stop(t, ".csv is not a resource of datapackage.json")
        if (is.null(r$schema$fields) || !length(r$schema$fields)) stop(t, ".csv has no schema fields")
        if (!file.exists(file.path(dir, r$path))) stop(r$path, " does not exist")
        ""
      })
      if (has) check_table(dir, r)
    }
  }

  readme <- file.path(repo, "README.md")
  blocks <- list()
  found <- check("README.md: R snippets found", function() {
    if (!file.exists(readme)) stop(readme, " does not exist")
    blocks <<- readme_blocks(readLines(readme, encoding = "UTF-8", warn = FALSE), "R", c("r"))
    if (!length(blocks)) stop("README.md has no ```r block under '## Use the data' -> '### R'")
    sprintf("%d blocks", length(blocks))
  })
  if (found) {
    for (i in seq_along(blocks)) {
      check(sprintf("README.md: R snippet %d/%d runs", i, length(blocks)),
            function() run_snippet(blocks[[i]], repo, dir, i))
    }
  }
}

tryCatch(main(), error = function(e) {
  failed <<- failed + 1L
  cat("FAIL checker crashed: ", one_line(conditionMessage(e)), "\n", sep = "")
})
cat(sprintf("%d passed, %d failed\n", passed, failed))
quit(save = "no", status = if (failed > 0) 1 else 0)
