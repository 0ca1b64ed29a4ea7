use super::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn generated_tables_in_docs_are_current() {
    let mut seen = Vec::new();
    for f in markdown_files(&repo().join("docs")).unwrap() {
        let text = std::fs::read_to_string(&f).unwrap();
        for name in ["errors", "config"] {
            if text.contains(&format!("{OPEN}{name}`")) {
                seen.push(name);
            }
        }
        let new = regenerate(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(
            new == text,
            "{} has a generated table that differs from the code: run `make docs`",
            f.display()
        );
    }
    seen.sort();
    assert_eq!(
        seen,
        ["config", "errors"],
        "each table has one place in docs/"
    );
}

#[test]
fn a_stale_region_is_rewritten_and_the_rest_kept() {
    let doc = format!("before\n{OPEN}errors` -->\n| old |\n{CLOSE}\nafter\n");
    let new = regenerate(&doc).unwrap();
    assert!(new.starts_with("before\n"));
    assert!(new.ends_with(&format!("{CLOSE}\nafter\n")));
    assert!(!new.contains("| old |"));
    assert!(new.contains(&ErrorCode::markdown_table()));
    assert_eq!(
        regenerate(&new).unwrap(),
        new,
        "a second pass changes nothing"
    );
    assert!(regenerate(&format!("{OPEN}nope` -->\n{CLOSE}\n")).is_err());
    assert!(regenerate(&format!("{OPEN}errors` -->\nno end\n")).is_err());
}

#[test]
fn the_config_reference_names_nested_keys_with_their_defaults() {
    let t = render("config").unwrap();
    assert!(t.contains("| `providers[].cluster` | string |"), "{t}");
    assert!(t.contains("| `providers[].name` | string | required |"));
    assert!(t.contains("| `metrics.ai_statistics` |"));
    assert!(t.contains("| `max_body_bytes` | integer | `52428800` |"));
    let unescaped_bars = |l: &str| {
        let b = l.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
            .count()
    };
    assert!(
        t.lines().all(|l| unescaped_bars(l) == 5),
        "one cell per column"
    );
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces
/// as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with('#') && !l.starts_with("#!"))
        .map(|l| slug(l.trim_start_matches('#')))
        .collect()
}

/// `(target)` of every `[text](target)` outside code fences.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let tail = &rest[i + 2..];
            let Some(end) = tail.find(')') else { break };
            out.push(tail[..end].to_string());
            rest = &tail[end..];
        }
    }
    out
}

#[test]
fn relative_links_in_the_readme_and_docs_resolve() {
    let root = repo();
    let mut files = vec![
        root.join("README.md"),
        root.join("CHANGELOG.md"),
        root.join("higress/README.md"),
    ];
    files.extend(markdown_files(&root.join("docs")).unwrap());
    let mut broken = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                f.clone()
            } else {
                f.parent().unwrap().join(path)
            };
            if !target.exists() {
                broken.push(format!("{}: {link} (no such file)", f.display()));
                continue;
            }
            if !anchor.is_empty() && target.extension().is_some_and(|x| x == "md") {
                let t = std::fs::read_to_string(&target).unwrap();
                if !anchors(&t).iter().any(|a| a == anchor) {
                    broken.push(format!("{}: {link} (no such heading)", f.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_reader_sees_links_and_skips_code() {
    let t = "a [x](docs/a.md#b) and [y](https://e) \n```\n[z](no.md)\n```\n";
    assert_eq!(links(t), ["docs/a.md#b", "https://e"]);
    assert_eq!(
        slug(" 7. Fallback under `Higress`"),
        "7-fallback-under-higress"
    );
}
