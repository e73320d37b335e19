//! "Propose matches" on the dashboard: the whole office's proposal with
//! its totals, and "Send the selected" turning it into booking requests
//! made by the office, each guarded on its own (issue 13).

use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{Backend, Page, TestApp};
use crate::propose::one_seat_two_riders;

on_both_databases!(
    staff_send_the_proposal_as_office_requests_and_owners_and_travellers_are_told,
    a_proposal_whose_ride_was_taken_meanwhile_is_skipped_not_oversold,
);

on_both_backends!(a_page_that_may_not_wait_says_what_no_proposal_can_beat,);

/// The checkbox values of the proposal form, in page order.
fn picks(page: &Page) -> Vec<String> {
    page.body
        .split("name=\"pick\" value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The booking page an email links to.
fn booking_link(text: &str) -> Option<String> {
    let start = text.find("/bookings/")? + "/bookings/".len();
    let id: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!id.is_empty()).then(|| format!("/bookings/{id}"))
}

async fn send(app: &TestApp, client: &reqwest::Client, office: i64, picks: &[String]) -> Page {
    let mut form: Vec<(&str, &str)> = vec![("days", "15")];
    form.extend(picks.iter().map(|p| ("pick", p.as_str())));
    app.post_with(client, &format!("/offices/{office}/propose"), &form)
        .await
}

/// (status, proposed_by) of each booking, by id.
async fn bookings(app: &TestApp) -> Vec<(String, Option<i64>)> {
    sqlx::query("SELECT status, proposed_by FROM bookings ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("status"), r.get("proposed_by")))
        .collect()
}

async fn staff_send_the_proposal_as_office_requests_and_owners_and_travellers_are_told(
    app: TestApp,
) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let reno = app.office("Reno Field Office", "89501").create().await;
    let (_, dee) = app
        .user("Dee Driver")
        .email("dee@example.org")
        .home("60601")
        .signed_in()
        .await;
    let ride = app.ride(mke).seats(2).create(&dee).await;
    let (_, hal) = app
        .user("Hal Host")
        .email("hal@example.org")
        .home("53202")
        .signed_in()
        .await;
    app.stay().beds(1).instant().create(&hal).await;
    // Two travellers need a ride and a bed; one bed: one is fully served,
    // the other gets a ride but no bed.
    let (_, tia) = app
        .user("Tia Traveller")
        .email("tia@example.org")
        .signed_in()
        .await;
    app.trip(mke).create(&tia).await;
    let (_, una) = app
        .user("Una Traveller")
        .email("una@example.org")
        .signed_in()
        .await;
    app.trip(mke).create(&una).await;
    let ed = app.user("Ed Elsewhere").create().await;
    let reno_trip = app.trip(reno).insert(ed).await;
    let (staff_id, staff) = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
    let (_, reno_staff) = app.user("Rex Reno").staff_of(reno).signed_in().await;

    let summary = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard"))
        .await;
    assert!(summary.attr("#propose", "href").is_some(), "a way in");
    let page = app
        .get_with(&staff, &format!("/offices/{mke}/propose?days=15"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.text("#totals strong"),
        "1 of 2 people fully served; 1 more gets a ride but no bed."
    );
    assert!(page.texts("#bound").is_empty(), "proven: no bound said");
    let all = picks(&page);
    assert_eq!(all.len(), 3, "two rides and one bed: {all:?}");
    assert!(
        page.body.matches(" checked>").count() == 3,
        "selected by default"
    );
    assert!(page.body.contains("Tia Traveller") && page.body.contains("Una Traveller"));
    assert!(!page.body.contains("Ed Elsewhere"));

    // Another office's staff see nothing and can send nothing.
    let other = app
        .get_with(&reno_staff, &format!("/offices/{mke}/propose"))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let other = send(&app, &reno_staff, mke, &all).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    // A forged pick anywhere in the form: nothing is sent.
    let mut forged = all.clone();
    forged.push("1:car:<script>".into());
    let refused = send(&app, &staff, mke, &forged).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(!refused.body.contains("<script>"));
    assert_eq!(app.count("bookings").await, 0, "nothing changed");

    // Another office's trip smuggled in is skipped; the rest is sent.
    let mut with_reno = all.clone();
    with_reno.push(format!("{reno_trip}:ride:{ride}"));
    let done = send(&app, &staff, mke, &with_reno).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.texts("#sent li").len(), 3, "{}", done.body);
    assert_eq!(done.texts("#skipped li").len(), 1);
    let rows = bookings(&app).await;
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|(_, by)| *by == Some(staff_id)), "{rows:?}");
    let mut statuses: Vec<&str> = rows.iter().map(|(s, _)| s.as_str()).collect();
    statuses.sort();
    assert_eq!(
        statuses,
        ["accepted", "requested", "requested"],
        "the instant bed is accepted at once"
    );

    let to_dee = app.last_mail_to("dee@example.org").await.unwrap();
    assert!(
        to_dee
            .text
            .contains("The Milwaukee Field Office team proposes"),
        "{}",
        to_dee.text
    );
    // The traveller without the bed hears what was asked for them, with a
    // way to withdraw it; the one with the bed hears it is confirmed.
    let mails = app.outbox().await;
    let asked: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.starts_with("Milwaukee Field Office asked for"))
        .collect();
    assert_eq!(asked.len(), 2, "one per ride request");
    let link = booking_link(&asked[0].text).expect("withdraw link");
    let traveller = if asked[0].to == "tia@example.org" {
        &tia
    } else {
        &una
    };
    let booking_page = app.get_with(traveller, &link).await;
    assert!(
        booking_page
            .text("#history")
            .contains("requested by the office"),
        "{}",
        booking_page.text("#history")
    );
    assert!(booking_page.text("#history").contains("Stef"));
    let withdrawn = app
        .post_with(traveller, &format!("{link}/withdraw"), &[])
        .await;
    assert!(withdrawn.status.is_redirection(), "{}", withdrawn.body);
    assert_eq!(
        bookings(&app)
            .await
            .iter()
            .filter(|(s, _)| s == "withdrawn")
            .count(),
        1
    );
}

async fn a_proposal_whose_ride_was_taken_meanwhile_is_skipped_not_oversold(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).seats(1).instant().create(&dee).await;
    let (_, hal) = app.user("Hal Host").home("53202").signed_in().await;
    app.stay().beds(1).create(&hal).await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    app.trip(mke).create(&tia).await;
    let (_, staff) = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
    let page = app
        .get_with(&staff, &format!("/offices/{mke}/propose"))
        .await;
    let all = picks(&page);
    assert_eq!(all.len(), 2, "Tia's ride and bed: {all:?}");

    // Between proposing and sending, Rob takes the only seat (instant).
    let (_, rob) = app.user("Rob Racer").signed_in().await;
    let rob_trip = app.trip(mke).no_bed().create(&rob).await;
    app.ask(&rob, rob_trip, "ride", ride).await;

    let done = send(&app, &staff, mke, &all).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.texts("#skipped li").len(), 1, "{}", done.body);
    assert!(done.text("#skipped").contains(&format!("ride {ride}")));
    assert_eq!(done.texts("#sent li").len(), 1, "the bed still goes out");
    let taken: i64 = sqlx::query("SELECT seats_taken FROM rides WHERE id = $1")
        .bind(ride)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("seats_taken");
    assert_eq!(taken, 1, "never oversold");
    let on_ride: i64 = sqlx::query("SELECT COUNT(*) AS n FROM bookings WHERE ride_id = $1")
        .bind(ride)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(on_ride, 1, "only Rob's");
}

/// With `PROPOSE_WAIT_SECS=0` the page shows the quick proposal at once and
/// says the bound it proved: two travellers, one seat.
async fn a_page_that_may_not_wait_says_what_no_proposal_can_beat(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |s| {
        s.propose_wait = std::time::Duration::ZERO;
    })
    .await
    else {
        return;
    };
    let mke = one_seat_two_riders(&app).await;
    let (_, staff) = app.user("Stef Staff").staff_of(mke).signed_in().await;
    let page = app
        .get_with(&staff, &format!("/offices/{mke}/propose?days=15"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.text("#bound"),
        "Stopped at the time limit: no proposal can serve more than 2."
    );
    assert_eq!(picks(&page).len(), 1, "one seat, one proposal");
}
