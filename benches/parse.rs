//! Parse throughput on a synthetic ~100 MB applicationHost.config, in one run:
//! a bare quick-xml event loop over the same text, `Document::parse`, and `to_bytes`.
//!
//! ```text
//! cargo bench --bench parse                    # 100 MB file
//! IISCONF_BENCH_MB=10 cargo bench --bench parse
//! ```
//!
//! The file is generated once and cached in target/bench-data/.

#[path = "../examples/support/bare.rs"]
mod bare;
#[path = "../examples/support/synth.rs"]
mod synth;

use bare::bare_event_loop;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iisconf::xml::Document;
use std::hint::black_box;
use std::time::Duration;

fn bench_mb() -> u32 {
    std::env::var("IISCONF_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}

fn parse(c: &mut Criterion) {
    let path = synth::cached_file(bench_mb()).expect("bench data can be generated");
    let bytes = std::fs::read(&path).expect("bench data is readable");
    let text = std::str::from_utf8(&bytes).expect("bench data is UTF-8");

    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(bytes.len() as u64));

    group.bench_function("quick_xml_event_loop", |b| {
        b.iter(|| bare_event_loop(black_box(text)).expect("synthetic file reads"))
    });
    group.bench_function("document_parse", |b| {
        b.iter(|| Document::parse(black_box(&bytes)).expect("synthetic file parses"))
    });
    let doc = Document::parse(&bytes).expect("synthetic file parses");
    assert!(doc.to_bytes() == bytes, "synthetic file round-trips");
    group.bench_function("to_bytes", |b| b.iter(|| black_box(&doc).to_bytes()));
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
