//! Form errors a screen reader can follow: summed up at the top with a link
//! to each field, and each field marked invalid and described by its message.

use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::{new_client, TestApp};

on_both_databases!(every_form_error_is_summarised_linked_and_tied_to_its_field,);

/// Checks the page's error summary against its fields; returns how many errors.
fn check_summary(body: &str, form: &str) -> usize {
    let doc = Html::parse_document(body);
    let sel = |css: &str| Selector::parse(css).expect("selector");
    let links: Vec<String> = doc
        .select(&sel("#error-summary a"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(!links.is_empty(), "{form}: no summary of the errors");
    for href in &links {
        let id = href.strip_prefix('#').expect("a link within the page");
        let field = doc
            .select(&sel(&format!("[id='{id}']")))
            .next()
            .unwrap_or_else(|| panic!("{form}: the summary links to {href}, which is not there"));
        let name = id.strip_prefix("f-").expect("a field id");
        assert_eq!(
            field.value().attr("aria-invalid"),
            Some("true"),
            "{form} {id}"
        );
        let described = field.value().attr("aria-describedby").unwrap_or_default();
        assert!(
            described.split(' ').any(|d| d == format!("e-{name}")),
            "{form} {id}: described by {described:?}"
        );
        assert!(
            doc.select(&sel(&format!("#e-{name}"))).next().is_some(),
            "{form}: no message e-{name}"
        );
    }
    links.len()
}

async fn every_form_error_is_summarised_linked_and_tied_to_its_field(app: TestApp) {
    let page = app
        .post_with(&new_client(), "/signup", &[("name", ""), ("email", "nope")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(check_summary(&page.body, "signup") >= 2);

    app.office("Milwaukee Field Office", "53202").create().await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    for form in ["/rides", "/stays", "/trips"] {
        let page = app.post_with(&tia, form, &[("notes", "")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        assert!(check_summary(&page.body, form) >= 1, "{form}");
    }
}
