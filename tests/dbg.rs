#[test]
fn dbg() {
    use concord::reference::{text::tokenize, Reference};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let refs = Reference::load(&root.join("data/reference")).unwrap();
    let s = std::env::var("S").unwrap();
    let t = tokenize(&s);
    let m = refs.lexicon.scan(&t);
    for x in &m {
        if !matches!(
            x.tag,
            concord::reference::Tag::NotPlace | concord::reference::Tag::Locative
        ) {
            println!(
                "{} {} {:?} {}",
                x.start,
                x.end,
                x.tag,
                t[x.start..x.end]
                    .iter()
                    .map(|t| t.text.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
    }
    let q = concord::stage::extract::numbers::find(&t, &m, &refs.lexicon.rules);
    println!("{:?}", q);
    let c = concord::stage::extract::claims::find(&refs.lexicon, &t, &m, &q, 100000);
    for x in &c {
        println!("{:?}", x);
    }
}
