//! SVG building blocks shared by the HTML reports: the figure width, margins around plot
//! areas, scales, axes with round ticks, text fitted to its room, colours (the categorical
//! palette and the sequential scale with its colour bar), each figure's SVG download link,
//! and HTML escaping. Strings only: no I/O.

use std::fmt::Write;

use crate::report::table::format_sig;

/// Significant digits of tick labels too large or small for fixed decimals.
const SIG_DIGITS: usize = 4;

/// The Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), ordered so that the
/// first colours are the most distinct on white; yellow comes last.
pub(crate) const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

/// Width of every report figure, in SVG units.
pub(crate) const FIG_W: f64 = 960.0;

/// The opening tag of a figure's SVG, `height` units high, that reads as `label` (inserted
/// as given: escape it first if it may hold markup).
pub(crate) fn open(height: f64, label: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {FIG_W} {height}\" \
         role=\"img\" aria-label=\"{label}\">\n"
    )
}

/// The style of figures, written into the page and into every downloaded SVG (which stands
/// alone, so its colours are literal).
pub(crate) const SVG_CSS: &str = r#"
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 12px; fill: #333; }
svg .title { font-size: 12.5px; font-weight: 600; fill: #1b1f24; }
svg .axis { stroke: #6b7580; stroke-width: 1; fill: none; }
svg .grid { stroke: #e6e9ec; stroke-width: 1; fill: none; }
"#;

/// A figure's SVG (a whole `<svg>` element) followed by a link that downloads it as
/// `FILE.svg`, where `file` is made of the figure's name (see [`file_stem`]). The downloaded
/// copy carries [`SVG_CSS`] and the page's `extra_css` in a `<style>` element and a white
/// background, so it looks as it does in the page; the link is a base64 `data:` URI, so the
/// page still fetches and runs nothing.
pub(crate) fn downloadable(svg: &str, file: &str, extra_css: &str) -> String {
    let stem = file_stem(file);
    format!(
        "{svg}<p class=\"download\"><a download=\"{stem}.svg\" \
         href=\"data:image/svg+xml;base64,{}\">SVG</a></p>\n",
        base64(standalone(svg, extra_css).as_bytes())
    )
}

/// `svg` as a file of its own: a `<style>` element and a white background right after the
/// opening tag.
pub(crate) fn standalone(svg: &str, extra_css: &str) -> String {
    let body = svg.find('>').map_or(0, |i| i + 1);
    format!(
        "{}\n<style>{SVG_CSS}{extra_css}</style>\n<rect width=\"100%\" height=\"100%\" \
         fill=\"#fff\"/>{}",
        &svg[..body],
        &svg[body..]
    )
}

/// A file name made of `name`: ASCII letters, digits, `.`, `_` and `-` kept, every other run
/// of characters turned into one `-`, `*` spelled `all` (`government.*.capacity` becomes
/// `government.all.capacity`).
pub(crate) fn file_stem(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.replace('*', "all").chars() {
        if ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-') {
            out.push(ch);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "figure".to_string()
    } else {
        out.to_string()
    }
}

/// Standard base64 (RFC 4648, with `=` padding) of `bytes`.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * k) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Stops of the viridis colour map (van der Walt & Smith 2015), evenly spaced from 0 to 1:
/// dark blue to yellow, ordered in lightness, readable by colour-blind readers and in grey.
const VIRIDIS: [[u8; 3]; 10] = [
    [0x44, 0x01, 0x54],
    [0x48, 0x28, 0x78],
    [0x3e, 0x49, 0x89],
    [0x31, 0x68, 0x8e],
    [0x26, 0x82, 0x8e],
    [0x1f, 0x9e, 0x89],
    [0x35, 0xb7, 0x79],
    [0x6e, 0xce, 0x58],
    [0xb5, 0xde, 0x2b],
    [0xfd, 0xe7, 0x25],
];

/// The colour at `t` (0 to 1, clamped; NaN is grey) of the sequential scale: viridis,
/// linearly interpolated between its stops.
pub(crate) fn sequential(t: f64) -> String {
    if t.is_nan() {
        return "#9aa3ab".to_string();
    }
    let x = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let k = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - k as f64;
    let (a, b) = (VIRIDIS[k], VIRIDIS[k + 1]);
    let mix = |i: usize| (f64::from(a[i]) + f * (f64::from(b[i]) - f64::from(a[i]))).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(0), mix(1), mix(2))
}

/// Whether text on the sequential colour at `t` should be white (the dark half) rather
/// than dark.
pub(crate) fn light_text_on(t: f64) -> bool {
    t < 0.6
}

/// Steps drawn in a colour bar.
const BAR_STEPS: usize = 40;

/// A legend of the sequential scale in the area `r`: the bar (low values at the bottom when
/// `vertical`, else at the left), `ticks` at their positions 0 to 1 along it, and `label`
/// naming what the colour shows (above the bar).
pub(crate) fn colour_bar(r: Rect, vertical: bool, ticks: &[(f64, String)], label: &str) -> String {
    let mut s = String::from("<g class=\"colour-bar\" shape-rendering=\"crispEdges\">\n");
    let _ = writeln!(
        s,
        "<text class=\"legend-label\" x=\"{:.1}\" y=\"{:.1}\"><title>{}</title>{}</text>",
        r.x,
        r.y - 6.0,
        esc(label),
        esc(&fit(
            label,
            if vertical { 150.0 } else { title_width(r) },
            FONT_PX
        ))
    );
    for k in 0..BAR_STEPS {
        let t = (k as f64 + 0.5) / BAR_STEPS as f64;
        let (x, y, w, h) = if vertical {
            let h = r.h / BAR_STEPS as f64;
            (r.x, r.bottom() - (k + 1) as f64 * h, r.w, h)
        } else {
            let w = r.w / BAR_STEPS as f64;
            (r.x + k as f64 * w, r.y, w, r.h)
        };
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{}\"/>",
            w + 0.3,
            h + 0.3,
            sequential(t)
        );
    }
    let _ = writeln!(
        s,
        "\n<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" \
         stroke=\"#6b7580\"/>",
        r.x, r.y, r.w, r.h
    );
    for (t, text) in ticks {
        let _ = if vertical {
            let y = r.bottom() - t * r.h;
            writeln!(
                s,
                "<line class=\"axis\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                r.right(),
                r.right() + 4.0,
                r.right() + 7.0,
                y + 4.0,
                esc(text)
            )
        } else {
            let x = r.x + t * r.w;
            let anchor = match *t {
                t if t <= 0.0 => "start",
                t if t >= 1.0 => "end",
                _ => "middle",
            };
            writeln!(
                s,
                "<line class=\"axis\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>\
                 <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
                r.bottom(),
                r.bottom() + 3.0,
                r.bottom() + 15.0,
                esc(text)
            )
        };
    }
    s.push_str("</g>\n");
    s
}

/// The colour of series `i`: the palette, again from its start after eight.
pub(crate) fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// About five ticks at round values (1, 2 or 5 times a power of ten; whole numbers when
/// `integer`) inside `lo..=hi`.
pub(crate) fn ticks(lo: f64, hi: f64, integer: bool) -> Vec<(f64, String)> {
    let mut step = nice_step((hi - lo) / 5.0);
    if integer {
        step = step.max(1.0);
    }
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            (v, tick_label(v, step))
        })
        .collect()
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A linear map from a value range onto a pixel range.
#[derive(Clone, Copy)]
pub(crate) struct Scale {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) px0: f64,
    pub(crate) px1: f64,
}

impl Scale {
    /// `lo..hi` across the plot area `r`, left to right.
    pub(crate) fn across(lo: f64, hi: f64, r: Rect) -> Scale {
        Scale {
            lo,
            hi,
            px0: r.x,
            px1: r.right(),
        }
    }

    /// `lo..hi` up the plot area `r`, bottom to top.
    pub(crate) fn up(lo: f64, hi: f64, r: Rect) -> Scale {
        Scale {
            lo,
            hi,
            px0: r.bottom(),
            px1: r.y,
        }
    }

    pub(crate) fn at(&self, v: f64) -> f64 {
        self.px0 + (v - self.lo) / (self.hi - self.lo) * (self.px1 - self.px0)
    }
}

/// Room around a plot area inside its cell of a figure.
#[derive(Clone, Copy)]
pub(crate) struct Margins {
    /// Left of the plot area, for the y tick labels and the y axis label.
    pub(crate) left: f64,
    /// Right of the plot area.
    pub(crate) right: f64,
    /// Above the plot area, for the panel title.
    pub(crate) top: f64,
    /// Below the plot area, for the x ticks and the x axis label.
    pub(crate) bottom: f64,
}

impl Margins {
    /// The plot area `h` high in the cell `width` wide whose top left corner is (`x`, `y`).
    pub(crate) fn plot(&self, x: f64, y: f64, width: f64, h: f64) -> Rect {
        Rect {
            x: x + self.left,
            y: y + self.top,
            w: width - self.left - self.right,
            h,
        }
    }

    /// The height of a cell around a plot area `h` high.
    pub(crate) fn around(&self, h: f64) -> f64 {
        self.top + h + self.bottom
    }
}

/// A plot area: its left, top, width and height.
#[derive(Clone, Copy)]
pub(crate) struct Rect {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) w: f64,
    pub(crate) h: f64,
}

/// An invisible strip of `r`'s height from x = `left` to `right` whose `<title>` shows `text`
/// on hover (no script).
pub(crate) fn hover_strip(s: &mut String, r: &Rect, left: f64, right: f64, text: &str) {
    let _ = writeln!(
        s,
        "<rect class=\"hover\" x=\"{left:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" \
         fill-opacity=\"0\"><title>{}</title></rect>",
        r.y,
        (right - left).max(0.5),
        r.h,
        esc(text)
    );
}

impl Rect {
    pub(crate) fn right(&self) -> f64 {
        self.x + self.w
    }
    pub(crate) fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

/// Grid, axes, ticks, tick labels, panel title and axis labels of one panel.
#[allow(clippy::too_many_arguments)]
pub(crate) fn axes(
    r: Rect,
    sx: Scale,
    sy: Scale,
    xticks: &[(f64, String)],
    yticks: &[(f64, String)],
    title: &str,
    xlabel: &str,
    ylabel: &str,
) -> String {
    let mut s = String::new();
    for (v, label) in xticks {
        let x = sx.at(*v);
        let _ = writeln!(
            s,
            "<line class=\"grid\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>\
             <line class=\"axis\" x1=\"{x:.1}\" y1=\"{b:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            r.y,
            r.bottom(),
            r.bottom() + 5.0,
            r.bottom() + 18.0,
            esc(label),
            b = r.bottom(),
        );
    }
    for (v, label) in yticks {
        let y = sy.at(*v);
        let _ = writeln!(
            s,
            "<line class=\"grid\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            r.x,
            r.right(),
            r.x - 6.0,
            y + 4.0,
            esc(label),
        );
    }
    let _ = writeln!(
        s,
        "<path class=\"axis\" d=\"M{:.1} {:.1}V{:.1}H{:.1}\"/>",
        r.x,
        r.y,
        r.bottom(),
        r.right(),
    );
    // Every label fits its side of the plot area: cut with an ellipsis, whole on hover.
    let (yx, yy) = (r.x - 44.0, r.y + r.h / 2.0);
    for line in [
        fitted_text("title", r.x, r.y - 10.0, "", title, title_width(r)),
        fitted_text(
            "",
            r.x + r.w / 2.0,
            r.bottom() + 36.0,
            " text-anchor=\"middle\"",
            xlabel,
            r.w,
        ),
        fitted_text(
            "",
            yx,
            yy,
            &format!(" text-anchor=\"middle\" transform=\"rotate(-90 {yx:.1} {yy:.1})\""),
            ylabel,
            r.h,
        ),
    ] {
        s.push_str(&line);
        s.push('\n');
    }
    s
}

/// Font size of figure text, in SVG units (as in [`SVG_CSS`]); titles are a little larger and
/// bold.
pub(crate) const FONT_PX: f64 = 12.0;
pub(crate) const TITLE_PX: f64 = 12.5;

/// Average width of a character of the figures' sans-serif font, in ems: DejaVu Sans (the
/// widest of the usual system fonts) sets report text at about 0.6 em a character, and bold
/// titles at about 0.66 em.
const EM_PER_CHAR: f64 = 0.6;
const EM_PER_CHAR_BOLD: f64 = 0.66;

/// An estimate, erring wide, of the width of `text` at `px` (bold for titles).
pub(crate) fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    let em = if bold { EM_PER_CHAR_BOLD } else { EM_PER_CHAR };
    em * px * text.chars().count() as f64
}

/// `text` cut with an ellipsis so that its estimated width at `px` fits in `width`.
pub(crate) fn fit(text: &str, width: f64, px: f64) -> String {
    fit_as(text, width, px, false)
}

fn fit_as(text: &str, width: f64, px: f64, bold: bool) -> String {
    let em = if bold { EM_PER_CHAR_BOLD } else { EM_PER_CHAR };
    let max = (width / (em * px)).floor().max(2.0) as usize;
    truncate(text, max)
}

/// A `<text>` element of `class` at (`x`, `y`) that fits `width`: cut with an ellipsis when
/// too long, the whole text then shown on hover. `attrs` are further attributes.
pub(crate) fn fitted_text(
    class: &str,
    x: f64,
    y: f64,
    attrs: &str,
    text: &str,
    width: f64,
) -> String {
    let title = class == "title";
    let shown = fit_as(text, width, if title { TITLE_PX } else { FONT_PX }, title);
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{class}\"")
    };
    let full = if shown == text {
        String::new()
    } else {
        format!("<title>{}</title>", esc(text))
    };
    format!(
        "<text{class} x=\"{x:.1}\" y=\"{y:.1}\"{attrs}>{full}{}</text>",
        esc(&shown)
    )
}

/// How far a panel's title may run from its plot area's left edge: over the plot area and
/// [`TITLE_OVERHANG`] into the gap before the next panel (whose title starts at least 60
/// units after this plot area in every report), never past the figure.
fn title_width(r: Rect) -> f64 {
    (r.w + TITLE_OVERHANG).min(FIG_W - r.x - 4.0)
}

/// See [`title_width`].
const TITLE_OVERHANG: f64 = 50.0;

/// `s` cut to at most `max` characters, with an ellipsis when cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// The round number (1, 2 or 5 times a power of ten) nearest above `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let f = raw / magnitude;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// A tick value printed with as many decimals as its step needs: `0.25`, `1500`, `-0.002`,
/// millions as `2.5M`, and anything larger or smaller in [`format_sig`]'s form.
pub(crate) fn tick_label(v: f64, step: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else if (1e-4..1e6).contains(&step) && v.abs() < 1e6 {
        fixed(v, step)
    } else if (1e5..1e9).contains(&step) && v.abs() < 1e9 {
        format!("{}M", fixed(v / 1e6, step / 1e6))
    } else {
        format_sig(v, SIG_DIGITS)
    }
}

/// `v` with the decimals that multiples of `step` need.
pub(crate) fn fixed(v: f64, step: f64) -> String {
    let decimals = (0..=6usize)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(6);
    format!("{v:.decimals$}")
}

/// One series of a bands panel: its label, its colour index, and its band at each recorded
/// round (p5, p25, p50, p75, p95).
pub(crate) struct BandSeries<'a> {
    pub(crate) label: &'a str,
    pub(crate) index: usize,
    pub(crate) bands: Vec<(u32, [f64; 5])>,
}

/// A panel of bands over rounds: for each series, a light p5-p95 band, a darker p25-p75
/// band and the median line, in its colour; a dashed zero line when the y range crosses 0
/// (for differences). Values show on hover (SVG titles).
pub(crate) fn bands_panel(r: Rect, title: &str, ylabel: &str, series: &[BandSeries]) -> String {
    let all = || {
        series
            .iter()
            .flat_map(|se| se.bands.iter().flat_map(|(_, q)| q.iter().copied()))
            .filter(|x| x.is_finite())
    };
    let (mut lo, mut hi) = (
        all().fold(f64::INFINITY, f64::min),
        all().fold(f64::NEG_INFINITY, f64::max),
    );
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if lo == hi {
        let half = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
        (lo, hi) = (lo - half, hi + half);
    }
    let pad = 0.04 * (hi - lo);
    let (lo, hi) = (lo - pad, hi + pad);
    let last = series
        .iter()
        .flat_map(|se| se.bands.last().map(|(round, _)| *round))
        .max()
        .unwrap_or(1)
        .max(1);
    let sx = Scale::across(0.0, f64::from(last), r);
    let sy = Scale::up(lo, hi, r);
    let mut s = String::from("<g class=\"bands\">\n");
    s.push_str(&axes(
        r,
        sx,
        sy,
        &ticks(0.0, f64::from(last), true),
        &ticks(lo, hi, false),
        title,
        "round",
        ylabel,
    ));
    if lo < 0.0 && hi > 0.0 {
        let y = sy.at(0.0);
        let _ = writeln!(
            s,
            "<line class=\"zero\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" \
             stroke=\"#1b1f24\" stroke-dasharray=\"4 3\"/>",
            r.x,
            r.right()
        );
    }
    let band = |b: &[(u32, [f64; 5])], low: usize, high: usize| -> String {
        let mut d = String::new();
        for (i, (round, q)) in b.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1} {:.1}",
                if i == 0 { "M" } else { "L" },
                sx.at(f64::from(*round)),
                sy.at(q[high])
            );
        }
        for (round, q) in b.iter().rev() {
            let _ = write!(d, "L{:.1} {:.1}", sx.at(f64::from(*round)), sy.at(q[low]));
        }
        d.push('Z');
        d
    };
    for se in series {
        let (label, b) = (se.label, &se.bands);
        let c = colour(se.index);
        let median: String = b
            .iter()
            .enumerate()
            .map(|(i, (round, q))| {
                format!(
                    "{}{:.1} {:.1}",
                    if i == 0 { "M" } else { "L" },
                    sx.at(f64::from(*round)),
                    sy.at(q[2])
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "<g class=\"series\" data-series=\"{}\"><path fill=\"{c}\" fill-opacity=\"0.12\" \
             d=\"{}\"/><path fill=\"{c}\" fill-opacity=\"0.26\" d=\"{}\"/><path fill=\"none\" \
             stroke=\"{c}\" stroke-width=\"2\" d=\"{median}\"/>",
            esc(label),
            band(b, 0, 4),
            band(b, 1, 3)
        );
        s.push_str("</g>\n");
    }
    // One hover target per recorded round, across the plot: every series' numbers there.
    if let Some(first) = series.first().map(|se| &se.bands) {
        let xs: Vec<f64> = first
            .iter()
            .map(|(round, _)| sx.at(f64::from(*round)))
            .collect();
        for (j, (round, _)) in first.iter().enumerate() {
            let left = if j == 0 {
                r.x
            } else {
                (xs[j - 1] + xs[j]) / 2.0
            };
            let right = xs.get(j + 1).map_or(r.right(), |next| (xs[j] + next) / 2.0);
            let mut text = format!("round {round}");
            for se in series {
                if let Some((_, q)) = se.bands.get(j) {
                    let _ = write!(
                        text,
                        "\n{}: median {}, p25-p75 [{}, {}], p5-p95 [{}, {}]",
                        se.label,
                        format_sig(q[2], 4),
                        format_sig(q[1], 4),
                        format_sig(q[3], 4),
                        format_sig(q[0], 4),
                        format_sig(q[4], 4)
                    );
                }
            }
            hover_strip(&mut s, &r, left, right, &text);
        }
    }
    s.push_str("</g>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
        assert_eq!(base64("Δ ≤".as_bytes()), "zpQg4omk");
    }

    #[test]
    fn file_stems_are_plain() {
        assert_eq!(file_stem("capture"), "capture");
        assert_eq!(
            file_stem("government.*.capacity vs <x> & y"),
            "government.all.capacity-vs-x-y"
        );
        assert_eq!(file_stem("<>"), "figure");
    }

    #[test]
    fn a_standalone_figure_carries_its_style() {
        let svg = format!("{}<text class=\"title\">t</text></svg>\n", open(10.0, "x"));
        let alone = standalone(&svg, "svg .extra { fill: red; }");
        assert!(alone.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(alone.contains("<style>\nsvg text {"));
        assert!(alone.contains("svg .extra { fill: red; }</style>"));
        assert!(alone.ends_with("<text class=\"title\">t</text></svg>\n"));
        let page = downloadable(&svg, "capture vs x", "");
        assert!(page.starts_with(&svg));
        assert!(page.contains("download=\"capture-vs-x.svg\""));
    }
}
