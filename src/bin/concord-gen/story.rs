//! Stories: plans how N articles split into stories and generates each story's articles from its
//! own PRNG stream, so stories can be built in parallel and written in order.

use jiff::civil::Date;

use crate::article::{event_article, filler_article, Article};
use crate::event::pick_country;
use crate::french::add_days;
use crate::geo::Gaz;
use crate::make_event::make_event;
use crate::outlet::pick_outlet;
use crate::rng::Rng;

pub(crate) struct StoryPlan {
    idx: u64,
    first: usize,
    n: usize,
    filler: bool,
}

pub(crate) fn plan(seed: u64, n_articles: usize) -> Vec<StoryPlan> {
    let mut rng = Rng::new(seed, 1, 0);
    let mut out = Vec::new();
    let mut assigned = 0;
    let mut idx = 0;
    while assigned < n_articles {
        let filler = rng.chance(0.12);
        let n = if filler {
            1
        } else {
            *rng.pick_w(&[(62, 1usize), (25, 2), (10, 3), (3, 4)])
        };
        let n = n.min(n_articles - assigned);
        out.push(StoryPlan {
            idx,
            first: assigned,
            n,
            filler,
        });
        assigned += n;
        idx += 1;
    }
    out
}

fn file_name(prefix: &str, i: usize, width: usize, slug: &str) -> String {
    format!("{prefix}{i:0width$}_{slug}.txt")
}

pub(crate) fn gen_story(
    gaz: &Gaz,
    seed: u64,
    sp: &StoryPlan,
    prefix: &str,
    width: usize,
) -> Vec<Article> {
    let mut rng = Rng::new(seed, 5, sp.idx);
    let start = Date::constant(2022, 1, 1);
    let date = add_days(start, rng.below(1270) as i64);
    if sp.filler {
        let cty = pick_country(&mut rng);
        let o = pick_outlet(&mut rng, cty, &[]);
        let file = file_name(prefix, sp.first, width, o.slug);
        return vec![filler_article(gaz, seed, sp.idx, date, o, cty, file)];
    }
    let ev = make_event(&mut rng, gaz, date, None);
    let mut out = Vec::new();
    let mut lag = if ev.night {
        1
    } else {
        *rng.pick_w(&[(10, 0i64), (55, 1), (25, 2), (10, 3)])
    };
    let mut used: Vec<&str> = Vec::new();
    for j in 0..sp.n {
        if j > 0 {
            lag += *rng.pick_w(&[(25, 0i64), (40, 1), (15, 2), (10, 4), (10, 7)]);
            lag = lag.min(14);
        }
        let pubd = add_days(ev.date, lag);
        let o = pick_outlet(&mut rng, ev.cty, &used);
        used.push(o.name);
        let file = file_name(prefix, sp.first + j, width, o.slug);
        out.push(event_article(gaz, &ev, seed, sp.idx, j, pubd, o, file));
    }
    out
}
