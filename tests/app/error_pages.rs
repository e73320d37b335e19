//! Error pages keep the viewer's frame: a signed-in person still sees their
//! name in the header, and every error page offers a way back. Bodies past
//! the size limit and CSRF refusals get the same friendly page.

use reqwest::StatusCode;

use crate::helpers::{Page, TestApp};

on_both_databases!(
    a_signed_in_person_keeps_their_header_and_a_way_back_on_error_pages,
    someone_signed_out_still_sees_log_in_on_error_pages,
    a_body_past_the_limit_gets_a_friendly_page,
    a_cross_site_post_is_refused_in_the_viewers_frame,
);

/// A GET with a `Referer`, as a browser following a link sends it.
async fn get_from(app: &TestApp, client: &reqwest::Client, path: &str, referer: &str) -> Page {
    let resp = client
        .get(app.url(path))
        .header("referer", referer)
        .send()
        .await
        .expect("GET");
    page(resp).await
}

async fn page(resp: reqwest::Response) -> Page {
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.text().await.expect("body");
    Page {
        status,
        headers,
        body,
    }
}

fn signed_in_as(page: &Page, first_name: &str) {
    assert_eq!(
        page.text("header .who"),
        format!("Hi, {first_name}"),
        "{}",
        page.body
    );
    assert!(
        page.texts("header a[href='/login']").is_empty(),
        "no Log in for someone signed in"
    );
}

async fn a_signed_in_person_keeps_their_header_and_a_way_back_on_error_pages(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, ann) = app.user("Ann Lee").signed_in().await;
    let trip = app.trip(mke).days(20, 24).create(&ann).await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).create(&dee).await;

    // A 404 from a link on the offices page leads back there.
    let lost = get_from(&app, &ann, "/no/such/page", &app.url("/offices")).await;
    assert_eq!(lost.status, StatusCode::NOT_FOUND);
    signed_in_as(&lost, "Ann");
    assert_eq!(lost.attr("#back", "href").as_deref(), Some("/offices"));

    // A 404 of a handler (someone else's ride), typed in: back to /me.
    let theirs = app.get_with(&ann, &format!("/rides/{ride}")).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    signed_in_as(&theirs, "Ann");
    assert_eq!(theirs.attr("#back", "href").as_deref(), Some("/me"));

    // Another site as Referer never becomes the way back.
    let elsewhere = get_from(&app, &ann, "/nowhere", "https://evil.example/me").await;
    assert_eq!(elsewhere.attr("#back", "href").as_deref(), Some("/me"));

    // A 409: asking for a ride that leaves ten days before the trip.
    let trip_page = app.url(&format!("/trips/{trip}"));
    let resp = ann
        .post(app.url(&format!("/trips/{trip}/requests")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", &app.base)
        .header("sec-fetch-site", "same-origin")
        .header("referer", &trip_page)
        .body(format!("kind=ride&offer_id={ride}&message="))
        .send()
        .await
        .expect("POST");
    let refused = page(resp).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.text("h1").contains("didn't work"));
    signed_in_as(&refused, "Ann");
    assert_eq!(
        refused.attr("#back", "href"),
        Some(format!("/trips/{trip}")),
        "back to the trip the form was on"
    );
    assert_eq!(app.count("bookings").await, 0);
}

async fn someone_signed_out_still_sees_log_in_on_error_pages(app: TestApp) {
    let lost = app.get("/no/such/page").await;
    assert_eq!(lost.status, StatusCode::NOT_FOUND);
    assert_eq!(lost.texts("header a[href='/login']").len(), 1);
    assert!(lost.texts("header .who").is_empty());
    assert_eq!(lost.attr("#back", "href").as_deref(), Some("/"));
}

async fn a_body_past_the_limit_gets_a_friendly_page(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, ann) = app.user("Ann Lee").signed_in().await;
    let big = format!("office_id={mke}&notes={}", "x".repeat(3 * 1024 * 1024));

    // With a Content-Length, refused before it is read.
    let resp = ann
        .post(app.url("/trips"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", &app.base)
        .header("sec-fetch-site", "same-origin")
        .body(big.clone())
        .send()
        .await
        .expect("POST");
    let sized = page(resp).await;
    assert_eq!(sized.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(sized.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(sized.text("h1"), "That was too much to send");
    assert!(sized.text("main").contains("larger than 2 MB"));
    signed_in_as(&sized, "Ann");

    // Sent in chunks (no Content-Length): caught while the form is read.
    let (status, head, body) = post_chunked(&app, "/trips", big.as_bytes()).await;
    assert_eq!(status, 413, "{head}");
    assert!(
        head.to_lowercase().contains("content-type: text/html"),
        "{head}"
    );
    assert!(body.contains("That was too much to send"), "{body}");
    assert_eq!(app.count("trips").await, 0);
}

/// A same-origin form POST with `Transfer-Encoding: chunked`, written by
/// hand (the test client always sends a length): (status, head, body).
async fn post_chunked(app: &TestApp, path: &str, body: &[u8]) -> (u16, String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.base.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(host).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\nSec-Fetch-Site: same-origin\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n",
        app.base
    );
    conn.write_all(head.as_bytes()).await.expect("head");
    // The server may answer and close before everything is sent.
    for chunk in body.chunks(64 * 1024) {
        let mut piece = format!("{:x}\r\n", chunk.len()).into_bytes();
        piece.extend_from_slice(chunk);
        piece.extend_from_slice(b"\r\n");
        if conn.write_all(&piece).await.is_err() {
            break;
        }
    }
    let _ = conn.write_all(b"0\r\n\r\n").await;
    let mut raw = vec![];
    let _ = conn.read_to_end(&mut raw).await;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

async fn a_cross_site_post_is_refused_in_the_viewers_frame(app: TestApp) {
    let (_, ann) = app.user("Ann Lee").signed_in().await;
    let resp = ann
        .post(app.url("/trips"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body("office_id=1")
        .send()
        .await
        .expect("POST");
    let refused = page(resp).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.text("h1"), "Request refused");
    signed_in_as(&refused, "Ann");
}
