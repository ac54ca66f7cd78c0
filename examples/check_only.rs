fn main() {
    let h = iisconf::engine::Hierarchy::open(
        iisconf::schema::Registry::load(&[std::path::PathBuf::from("../shared/iis-schema")])
            .unwrap(),
        &iisconf::engine::Options {
            apphost: Some(std::env::args().nth(1).unwrap().into()),
            ..Default::default()
        },
    )
    .unwrap();
    let t = std::time::Instant::now();
    let n = h.check().len();
    eprintln!("check {} ms {n}", t.elapsed().as_millis());
}
