//! Writes `pipeline.toml` beside the corpus: corpus, data and reports relative to it, reference
//! data at the absolute path given.

use std::fs;
use std::path::Path;

pub(crate) fn write_pipeline_toml(out: &Path, reference: &Path) -> std::io::Result<()> {
    let reference = reference
        .to_string_lossy()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let text = format!(
        "# Written by concord-gen: a synthetic benchmark corpus. Paths are relative to this file,\n\
         # except the reference data.\n\n\
         [paths]\ndata = \"data\"\nreports = \"reports\"\nreference = \"{reference}\"\n\n\
         [ingest]\ncorpus = \"corpus\"\nmanifest = \"corpus/manifest.csv\"\n\n\
         [export]\nname = \"concord-bench\"\ntitle = \"concord benchmark corpus (synthetic)\"\nversion = \"0.1.0\"\n"
    );
    fs::write(out.join("pipeline.toml"), text)
}
