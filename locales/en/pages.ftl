# Pages.
home-title = Rides and beds for campaign volunteers
home-heading = Help where the race is close
home-intro = Trip Planner connects volunteers travelling to battleground field offices with supporters who offer a seat in their car or a bed in their home.
home-find-office = Find a field office
home-travelling = Travelling?
home-travelling-text = Tell us when you can help and where from. We'll find rides and beds that fit your dates.
home-driving = Driving?
home-driving-text = Offer the empty seats in your car on the way to an office.
home-hosting = Hosting?
home-hosting-text = Offer a bed near an office for the nights you choose.
action-plan-trip-arrow = Plan a trip →
action-offer-ride-arrow = Offer a ride →
action-offer-beds-arrow = Offer beds →
login-title = Log in
field-email = Email
field-password = Password
login-forgot = Forgot your password?
login-new-here = New here?
form-fix-fields = Please fix the fields marked below.
signup-already = Already have an account?
signup-create = Create account
field-your-name = Your name
hint-password = At least 10 characters. A short phrase works well.
field-home = Where you live
hint-home = ZIP code or town and state, like 94110 or Madison, WI.
field-phone-optional = Phone (optional)
hint-phone = Shown only to people you travel or stay with.
hint-did-you-mean = Did you mean:
signup-privacy-hint = What we keep about you, who sees it and for how long:
footer-privacy-lower = privacy
check-inbox-title = Check your inbox
check-inbox-sent = We sent an email to
check-inbox-open = Open the link in it to log in.
check-inbox-wait = It may take a minute to arrive; look in the spam folder too. Wrong address?
check-inbox-again = Sign up again
offices-title = Field offices
offices-near-label = Nearest to a town or ZIP
offices-sort = Sort by distance
offices-all-by-state = All offices by state
offices-add-home = Add where you live to your account to see how far each office is.
offices-none = There are no field offices yet.
offices-create-first = Create the first one
offices-nearest-to = Nearest to { $place }
distance-away = { $distance } away
distance-from-home = { $distance } from home
placeholder-near = 53703 or Madison, WI
home-counts = { $offices } field offices · { $volunteers } volunteers signed up
field-office = Field office
choose-office = Choose an office…
action-edit = Edit
action-pause = Pause
action-resume = Resume
action-cancel = Cancel
action-accept = Accept
action-decline = Decline
trip-edit-title = Edit trip
trip-edit-heading = Edit your trip
trip-new-heading = Plan a trip to help an office
action-plan-trip = Plan a trip
field-from = Travelling from
hint-zip-or-town = ZIP code or town and state.
field-arrive = Arrive
field-leave = Leave
hint-leave = The day you go home.
field-party = People travelling together
hint-party = 1 to 10, counting yourself.
trip-you-need = You need
trip-neither-hint = Tick neither if you travel and sleep on your own: the office still expects you.
need-ride = A ride
need-bed = A bed
field-flex = Days you could leave early for a ride
hint-flex = 0 to 7. Default 1: the day before you arrive (and, for a ride home, the day after you leave).
field-max-stay = Furthest you'd sleep from the office (km)
hint-default-40 = Default 40.
trip-must-have = Must have
need-step-free = Step-free access
need-no-pets = No pets (allergy)
need-no-smoking = No smoking
field-notes-optional = Notes (optional)
trip-save = Save trip
trip-find = Find rides and beds
ride-edit-title = Edit ride
ride-edit-heading = Edit your ride
ride-new-heading = Offer seats in your car
field-leaving-from = Leaving from
field-depart-date = Departure date
field-depart-time = Departure time
hint-office-time = In the office's local time.
field-seats = Free seats
hint-seats = 1 to 8; up to 60 for a van or bus (say so in the notes).
field-detour = Longest detour you'll drive (km)
hint-detour = To pick someone up on the way. Default 25.
field-return-optional = Return date (optional)
ride-your-car = Your car
car-luggage = Room for luggage
car-smoking = Smoking allowed
car-pets = Pets welcome
car-step-free = Step-free / wheelchair accessible
instant-accept = Accept requests instantly (no need to answer each one)
hint-ride-notes = Anything riders should know.
ride-save = Save ride
ride-offer = Offer ride
stay-edit-heading = Edit your stay offer
stay-new-heading = Offer beds in your home
hint-stay-place = ZIP code or town and state. Travellers see only the town until you accept them.
field-street = Street address (optional, private)
hint-street = Shown only to guests you accept.
field-beds = Beds
hint-beds = How many people you can host each night.
field-first-night = First night
field-last-night = Last night
field-blocked = Nights you're away (optional)
hint-blocked = Dates like 2026-10-03, separated by commas.
stay-your-home = Your home
home-pets = Pets live here
home-smoking = Smoking inside
home-children = Children welcome
field-house-rules = House rules and notes (optional)
stay-save = Save stay
me-title = My trips and offers
me-waiting = Waiting for your answer
action-offer-ride = Offer a ride
action-offer-beds = Offer beds
me-trips = Trips
me-no-trips = You haven't planned a trip yet.
me-plan-one = Plan one
me-plan-one-after = to see rides and beds that fit.
me-rides = Rides I offer
me-no-rides = No rides offered. Driving to an office?
me-offer-seats = Offer your empty seats
me-stays = Beds I offer
me-no-stays = No beds offered. Live near an office?
me-offer-bed = Offer a bed
me-feed = Calendar feed
me-feed-text = Subscribe to your private feed in Google Calendar, Apple Calendar or Outlook and your confirmed rides and nights appear there by themselves, as a traveller and as a driver or host. Anyone who has the feed's address can see them, so keep it to yourself; making a new address turns the old one off.
me-feed-lost = Its address was shown once, when it was made; if you've lost it, make a new one.
me-feed-new = Make a new address
me-feed-off = Turn the feed off
me-feed-none = You have no calendar feed.
me-feed-create = Create my feed
stay-edit-title = Edit stay
party-of = party of { $n }
party-of-asks-for = party of { $n } asks for
me-expires = Expires { $when } if you don't answer.
ride-to = To { $office }
date-from-town = { $date } from { $town }
seats-free-of = { $free } of { $n ->
    [one] { $n } seat
   *[other] { $n } seats
 } free
me-feed-on = Your feed is on (made { $since }).
back-my-trips = ← My trips and offers
message-optional = Message (optional)
request-seat = Request a seat
request-beds = Request beds
label-from = From
label-dates = Dates
label-party = Party
label-needs = Needs
trip-needs-nothing = nothing: you travel and sleep on your own
trip-your-plan = Your plan
trip-earlier = Earlier requests
trip-arrival-passed = This trip's arrival date has passed.
trip-rides-fit = Rides that fit
trip-no-rides = No rides fit yet. Drivers add rides every day; check back soon.
trip-beds-fit = Beds that fit
trip-no-beds = No beds fit yet. Hosts add beds every day; check back soon.
cancel-first = ; cancel it first to choose another.
back-all-offices = ← All offices
office-timezone = Local time zone
office-needed = Volunteers needed
label-contact = Contact
office-dashboard = Arrivals dashboard
office-edit = Edit office and staff
office-offers = Rides and beds towards this office
office-plan-here = Plan a trip here
office-login-to-see = to see who offers them.
office-rides-soonest = Rides, soonest first
office-no-rides = No open rides to this office yet.
office-plan-with = Plan a trip with this
office-your-ride = your ride
office-beds-nearest = Beds, nearest first
office-no-beds = No open beds near this office yet.
office-your-beds = your beds
label-leaves = Leaves
label-returns = Returns
label-seats = Seats
label-detour = Detour
label-car = Car
label-notes = Notes
requests-bookings = Requests and bookings
no-requests = No requests yet. Travellers who fit can ask from their trip page.
ride-fits = Travellers your ride fits
ride-no-trips = No open trips fit this ride yet. They appear here as travellers plan their trips.
stay-title = Your stay offer
label-place = Place
label-nights = Nights
label-away = Away
label-beds = Beds
label-home = Home
stay-fits = Travellers your beds fit
stay-no-trips = No open trips fit these nights yet. They appear here as travellers plan their trips.
booking-title = Booking
back = ← Back
booking-traveller = Traveller
booking-contact-later = Contact details are shared once the request is accepted.
booking-withdraw = Withdraw my request
booking-add-calendar = Add to my calendar
booking-cancel-reason = Cancel with a reason
booking-reason-required = Required: the other person reads it.
booking-cancel = Cancel this booking
booking-history = History
account-title = Your account
label-name = Name
label-email = Email
label-phone = Phone
account-confirmed = confirmed
account-not-confirmed = not confirmed yet
account-no-phone = none given
account-change-email = Change email address
account-change-password = Change password
account-units = Show distances in
action-save = Save
account-your-data = Your data
account-download = Download my data
account-download-text = One file with everything we hold about you. See
account-delete = Delete my account
account-reads = Who saw your contact details
account-no-reads = No office staff have looked at your phone, email or street.
account-staff = Staff member
account-office = Office
account-when = When (UTC)
account-resend-text = We sent you a link to confirm your address. Didn't get it?
trip-your-title = Your trip to { $office }
trip-heading = Trip to { $office }
dates-to-nights = { $from } to { $to } ({ $n ->
    [one] { $n } night
   *[other] { $n } nights
 })
needs-a-ride = a ride
needs-flex-one = (can leave a day early)
needs-flex-many = (can leave up to { $n } days early)
word-and = and
needs-bed-within = a bed within { $distance }
fact-step-free = step-free
fact-no-pets = no pets
fact-no-smoking = no smoking
trip-not-matched = This trip is { $status }, so nothing is matched.
ride-confirmed-with = Your ride is confirmed with
bed-confirmed-with = Your bed is confirmed with
from-town = from { $town }
in-town = in { $town }
trip-own-way = You come and sleep on your own; { $office } expects you.
distance-from-your-home = { $distance } from your home
per-day = { $n } per day
office-counts = { $rides } upcoming { $rides ->
    [one] ride
   *[other] rides
 } · { $stays } { $stays ->
    [one] stay
   *[other] stays
 } within { $distance }
ride-your-title = Your ride to { $office }
ride-heading = Ride to { $office }
date-at-time = { $date } at { $time }
seats-free-of-total = { $free } free of { $n }
up-to = up to { $distance }
fact-luggage = room for luggage
fact-smoking = smoking
fact-pets-welcome = pets welcome
ride-not-matched = This ride is { $status }, so it is not matched.
arrives = arrives { $date }
stay-heading = Beds in { $town }
fact-private = (private)
per-night = { $n } per night
fact-pets-live-here = pets live here
fact-children = children welcome
offer-not-matched = This offer is { $status }, so it is not matched.
booking-ride-heading = Ride to help at { $office }
booking-stay-heading = Stay to help at { $office }
booking-message = Message:
booking-reason-given = Reason given:
booking-driver = Driver
booking-host = Host
plan-ride-with = Ride with { $name }: leaves { $date } at { $time } from { $town }
plan-sleeping-at = Sleeping at { $name }'s: { $place }
plan-ride-requested = Ride requested, waiting for { $name }
plan-bed-requested = Bed requested, waiting for { $name }
plan-no-ride = No ride yet
plan-no-bed = No bed yet
count-seats-free = { $n ->
    [one] { $n } seat free
   *[other] { $n } seats free
}
dates-to = { $from } to { $to }
credits-about = About Trip Planner
credits-intro = Trip Planner is open-source software for election campaigns: supporters offer seats and beds, travelling volunteers find a ride and a place to sleep, and field offices see who is arriving.
credits-data = Data credits
credits-zip = ZIP code and city names and coordinates:
credits-licensed = , licensed under
credits-changed = They have been changed: filtered to the 50 states and DC, merged, and with ZIP coordinates replaced where available by U.S. Census Bureau 2023 ZCTA Gazetteer internal points (public domain).
credits-outlines = State outlines: U.S. Census Bureau cartographic boundary files 2017 (public domain), via us-atlas (ISC).
credits-distances = Distances are straight-line (great-circle) distances between ZIP or town centres, so they are approximate.
privacy-y2 = on the same page, "Delete my account" cancels your bookings (the other person is told), and removes your name, email, phone and address for good. Your trips stay only as anonymous counts for the office. You can sign up again with the same address later.
privacy-w3 = Staff of the field office you travel to see the same details, to welcome you. Every time a staff member looks at your contact details, we write down who, from which office, and when. You can see that list on your account page.
privacy-k2 = After the election, trips, rides, beds, requests and accounts left with nothing are deleted. Each office keeps only anonymous counts of how many people arrived on each day.
privacy-y1-b = , "Download my data" gives you one file with everything we hold about you, including who read your contact details.
privacy-c4 = The rides, beds and trips you offer or plan, the requests you make or answer, and notes you add to them.
privacy-w2 = Once a ride or a bed is accepted, the other person sees your phone, email and street, so you can meet.
privacy-y3 = If you cannot log in, write to the campaign and an administrator will delete your account for you.
privacy-c2 = Where you live: a ZIP code or a town, and a street only if you give one for a ride or a bed.
privacy-c1 = Your name, email address and password (we store only a scrambled form of the password).
privacy-w1 = Before a request is accepted, the other person sees only your first name and your town.
privacy-w4 = Nobody else sees your details. We do not sell or share them.
privacy-k1 = Emails we have sent are kept at most 7 days, then deleted.
privacy-c3 = Your phone number, if you give it.
privacy-yours = Getting your data, or deleting it
privacy-heading = Privacy: what we keep about you
privacy-c5 = The emails we send you.
privacy-who = Who sees what, and when
privacy-kept = How long we keep it
privacy-collected = What we collect
privacy-account-page = account page
privacy-download = Download:
privacy-title = Privacy
privacy-y1-a = on your
privacy-delete = Delete:
admin-back = ← Admin
office-edit-title = Edit office
office-new-title = New office
office-new-heading = New field office
field-name = Name
field-place = Place
hint-office-place = ZIP code or town and state. The state comes from the place.
field-timezone = Time zone
hint-timezone = IANA name like America/Phoenix. Leave empty for the state's usual zone.
field-contact-optional = Contact email (optional)
field-needed-optional = Volunteers needed per day (optional)
office-save = Save office
office-staff = Office staff
office-no-staff = No staff assigned yet.
action-remove = Remove
field-add-staff = Add staff by email
hint-add-staff = The person must already have an account.
office-add-staff = Add staff
admin-heading = Admin
admin-campaign-figures = Campaign figures
admin-no-offices = No offices yet.
col-office = Office
col-town = Town
col-staff = Staff
admin-email = Email
admin-no-problems = No delivery problems.
admin-problems-text = Emails that failed at least once and are not sent, newest first. Retried ones are tried again automatically; given-up ones stay here with their last error. Attempts count the times the mail system refused an email; while it cannot be reached at all, emails wait without using up attempts.
col-to = To
col-subject = Subject
col-attempts = Attempts
col-status = Status
col-last-error = Last error
dash-show = Show
dash-download-csv = Download CSV
dash-chart-legend = Bars: people on hand (party sizes counted). Dashed line: volunteers needed per day. Red bars fall short.
dash-day-by-day = Day by day
dash-col-day = Day
dash-col-arriving = Arriving
dash-col-leaving = Leaving
dash-col-no-ride-home = Leaving without a ride home
dash-col-on-hand = On hand
dash-col-needed = Needed
dash-col-checked-in = Checked in
dash-col-no-show = No-show
dash-col-gaps = Gaps
dash-everyone-has = Everyone arriving in these days has the rides and beds they need.
dash-nudge-traveller = Nudge traveller
dash-nudge-driver = nudge driver
dash-nudge-host = nudge host
dash-no-offer = No open offer fits yet.
forgot-text = Enter the email address of your account and we will send you a link to choose a new password.
forgot-send = Send me a link
forgot-back = Back to log in
password-others-out = Anyone signed in to your account on another device will be logged out.
field-current-password = Your current password
hint-current-password = To make sure it is you.
field-new-password = New password
password-save = Save my new password
back-to-account = Back to your account
email-change-you-use = You use
field-new-email = New email address
email-change-send = Send the link
delete-title = Delete your account
delete-text = This cancels your bookings (the other person is told, by your first name only) and removes your name, email address, phone, street and password for good. Your trips and offers stay only as anonymous counts for the offices. You can sign up again later with the same address.
delete-may-want = You may want to
delete-download = download your data
delete-first = first.
dashboards-title = Your dashboards
dashboards-heading = Your offices
dashboards-none = You are not on the staff of any office.
dashboards-your-trips = Your trips and offers
dashboards-choose = Choose an office to see who arrives when, and the gaps.

# Rides home, the plan, alerts, proposals and maps (merged in issue 12, 13, 16).
ride-home-heading = Ride home from { $office }
label-to = To
leaves-on = leaves { $date }
field-leaving-from-or-home = Leaving from (or going home to, for a ride home)
field-drive-back = And I drive back on (optional)
hint-drive-back = Offers a second ride, home from the office on that day to where you start, with the same seats and detour; each is booked on its own.
need-ride-home = A ride home
needs-a-ride-home = a ride home
to-town = to { $town }
plan-ride-home-with = Ride home with { $name }: leaves { $date } at { $time } for { $town }
plan-ride-home-requested = Ride home requested, waiting for { $name }
plan-no-ride-home = No ride home yet
trip-rides-home-fit = Rides home that fit
trip-no-rides-home = No rides home fit yet. Drivers add rides every day; check back soon.
home-confirmed-with = Your ride home is confirmed with
leg-not-needed = Not needed
leg-confirmed = Confirmed
leg-requested = Requested
leg-nothing-fits = Needed, nothing fits yet
count-options = { $n ->
    [one] { $n } option
   *[other] { $n } options
}
more-rides = { $n ->
    [one] { $n } more ride
   *[other] { $n } more rides
}
more-stays = { $n ->
    [one] { $n } more place to sleep
   *[other] { $n } more places to sleep
}
more-rides-home = { $n ->
    [one] { $n } more ride home
   *[other] { $n } more rides home
}
missing-nothing-needed = You need no ride and no bed: the office expects you on your own.
missing-complete = Your plan is complete: everything you need is confirmed.
missing-waiting = Nothing is missing but an answer: you're waiting to hear about { $waiting }.
missing-need = You still need { $needed }.
missing-need-and-waiting = You still need { $needed }, and you're waiting to hear about { $waiting }.
missing-a-ride-there = a ride there on { $date }
missing-a-nights = a bed for { $date }
missing-a-ride-home = a ride home on { $date }
missing-your-ride-there = your ride there on { $date }
missing-your-nights = your bed for { $date }
missing-your-ride-home = your ride home on { $date }
alerts-heading = Alerts
trip-alerts-on = Alerts are on: when a new ride or bed fits what you still need, we email you, at most once a day.
trip-alerts-off = Alerts are off for this trip: we won't email you when something new fits.
trip-alerts-turn-off = Turn alerts off
trip-alerts-turn-on = Turn alerts on
offer-alerts-on = Alerts are on: when a new trip fits this offer, we email you, at most once a day.
offer-alerts-off = Want to hear when a new trip fits this offer? We can email you, at most once a day.
offer-alerts-turn-on = Email me trips that fit
offer-alerts-turn-off = Stop these emails
account-no-alerts = No trip ahead to watch. When you plan one, we email you when a ride or bed that fits it appears.
account-alert-trip = Trip to { $office }, { $dates }
account-alert-ride = Ride to { $office }, { $date }
account-alert-ride-home = Ride from { $office }, { $date }
account-alert-stay = Beds in { $town }, { $dates }
alert-on = on
alert-off = off
alert-turn-off = Turn off
alert-turn-on = Turn on
dash-propose = Propose matches
map-from = Map from
map-to = to
map-show = Show
map-rides-from = Rides from { $town }: { $count }
map-beds-in = Beds in { $town }: { $count }
map-travellers-from = Travellers from { $town }: { $count }
map-the-office = { $name } (the office)
map-office-title = Map of { $office } and its rides and beds
map-office-desc = { $range }. Dots mark towns; a larger dot means more seats, beds or people. The same places are listed below the map.
map-inset-title = Beds within { $distance } of { $office }
map-inset-desc = { $range }. A close-up around the office, with a scale bar.
map-your-town = Your town: { $town }
map-route = { $ride }: the way through your town to the office
map-trip-title = Map of your trip to { $office }
map-trip-desc = Your town, the office, where fitting rides start with their way through your town, and fitting beds. The same places are listed below the map.
fix-this-field = Please fix this field:
fix-these-fields = Please fix these fields:

# The office's day page and printable roster.
day-back-arrivals = ← Arrivals
day-roster = Printable roster
day-count = { $people ->
    [one] { $people } person
   *[other] { $people } people
 } ({ $total ->
    [one] { $total } traveller
   *[other] { $total } travellers
 }) on hand or arriving.
day-contact-note = Contact details are for staff only; reading them is logged.
day-nobody = Nobody is expected on this day.
day-arrives-today = arrives today
day-arrives = Arrives: { $how }
day-sleeps = Sleeps: { $sleep }
day-goes-home = Goes home: { $home }
day-checked-in = Checked in
day-no-show = No-show
day-arrived = Arrived
day-undo = Undo
day-own-way = Own way
day-own-arrangements = Own arrangements
day-ride-with = Ride with { $owner }: { $detail }
day-with = With { $owner }: { $detail }
day-ride-with-only = Ride with { $owner }
day-with-only = With { $owner }
day-requested-from = Requested from { $name }, not confirmed
day-nothing-yet = Nothing yet
plan-detail-ride = leaves { $date } { $time } from { $town }
plan-detail-ride-home = leaves { $date } { $time } to { $town }
day-err-cancelled = { $name } cancelled this trip, so there is nothing to mark.
day-err-paused = { $name } paused this trip, so there is nothing to mark.
day-err-nothing-to-undo = { $who } has no arrived or no-show mark to undo.
day-flash-checked-in = { $who } checked in.
day-flash-no-show = { $who } marked as no-show.
day-flash-undone = { $who } is no longer marked arrived or no-show.
pager-label = Pages
pager-prev = ← Previous
pager-next = Next →
pager-page-of = Page { $page } of { $pages }

# The office's arrivals dashboard.
dash-title = { $office }: arrivals
dash-heading = Arrivals at { $office }
dash-back-arrivals = ← Arrivals at { $office }
dash-days = Days
dash-chart-heading = Volunteers on hand
dash-chart-heading-needed = Volunteers on hand against { $n } needed
dash-chart-title = Volunteers on hand per day
dash-chart-title-target = Volunteers on hand per day, target { $n }
dash-chart-desc = One bar per day: people on hand; the same figures are in the “On hand” column of the day-by-day table below.
dash-bar-on-hand = { $n } on hand
dash-totals = { $arriving } arriving in this range · { $arrived } checked in · { $noshow } no-show. Arriving, leaving and on hand count people, with travellers (parties) in brackets, as each day's page does.
dash-gaps-heading = Gaps: arriving without a confirmed ride there, bed or ride home ({ $n })
dash-gaps-shown = { $shown } of { $total } gaps on this page, by arrival
dash-next-page = next page
dash-offer-ride = Ride:
dash-offer-bed = Bed:
dash-offer-ride-home = Ride home:
dash-needs = needs { $what }
dash-gap-bed = a bed
dash-gap-ride-requested = a ride (requested)
dash-gap-bed-requested = a bed (requested)
dash-gap-ride-home-requested = a ride home (requested)
dash-err-no-reminder-cancelled = No reminder sent: { $name } cancelled this trip.
dash-err-no-reminder-paused = No reminder sent: { $name } paused this trip.
dash-flash-reminder-sent = Reminder sent to { $name }.
pager-of-gaps = gaps
pager-of-options = options
pager-of-rides = rides
pager-of-stays = stays
pager-range = { $first }–{ $last } of { $total }
pager-page = page { $page } of { $pages }
pager-prev-page = ← Previous page
pager-next-page = Next page →
pager-pages-of = Pages of { $noun }
dash-arrivals = Arrivals
roster-title = { $office }: roster { $day }
roster-printed = Printed { $at }.
roster-contact-note = Contact details are for office staff only.
roster-print-hint = Use your browser's Print command; the navigation and buttons are left off the paper.
roster-col-in = In
roster-col-arrives = Arrives by
roster-col-sleeps = Sleeps
roster-col-home = Home by
roster-to-tick = to tick
roster-arriving = arriving
roster-day-trip = { $date } (day)
roster-asked = Asked { $name }, not confirmed
feed-title = { $office }: calendar feed
feed-heading = Office calendar feed
feed-intro = A calendar app subscribed to this feed shows each traveller expected at { $office } as an all-day event on their arrival day (“Ana López (+1) arrives”), with how they come and where they sleep, from two weeks back to four months ahead. It updates on its own. It shows no phone numbers, emails or addresses: those stay on the dashboard.
feed-replaced = Here is the new address. The old one no longer works: update any calendar that used it.
feed-subscribe = Subscribe to this address in your calendar app (Google Calendar: “Other calendars → From URL”; Apple Calendar: “File → New Calendar Subscription”; Outlook: “Add calendar → Subscribe from web”).
feed-address = Feed address
feed-copy-now = Copy it now: we show it only this once.
feed-secret = It is a secret, like a password: anyone who has it can see who is coming and when. If it gets out, make a new one here, which turns this one off.
feed-made-on = This office has a feed, made on { $since }. Its address was shown once when it was made.
feed-none = This office has no feed yet.
feed-make = Make a feed address

# Proposed matches for the whole office.
propose-title = { $office }: proposed matches
propose-heading = Proposed matches, arrivals { $from } to { $to }
propose-explain = The best choice for the whole office at once: the most people with every open leg filled, then the most needs filled, then the fewest km. Nothing is sent until you press the button.
propose-empty = Nothing to propose: no open ride or bed fits a trip arriving in these days.
propose-send-note = Each owner gets the usual request email, saying the office proposed it; each traveller is told what was asked for them and can withdraw it. Instant offers are confirmed at once.
propose-send = Send the selected
propose-served = { $served } of { $n } { $n ->
    [one] person
   *[other] people
 } fully served
propose-partly = { $people } more { $people ->
    [one] gets
   *[other] get
 } { $filled } but { $open }
propose-no-ride = no ride
propose-no-bed = no bed
propose-no-ride-home = no ride home
propose-nothing-fits = nothing fits for { $legs }
propose-bound = Stopped at the time limit: no proposal can serve more than { $n }.
propose-offer-ride = Ride with { $name } from { $town }, leaving { $date }: { $distance } detour
propose-offer-beds = Beds with { $name } in { $town }: { $distance } from the office
propose-offer-ride-home = Ride home with { $name } to { $town }, leaving { $date }: { $distance } detour
proposed-title = { $office }: proposals sent
proposed-back = ← Proposed matches
proposed-heading = Proposals sent for { $office }
proposed-sent = Sent ({ $n })
proposed-none = None could be sent.
proposed-booking = booking
proposed-skipped = Skipped ({ $n })
proposed-skipped-note = These no longer fit and were not sent; nothing was booked for them.
proposed-trip-ride = Trip { $trip } · ride { $id }
proposed-trip-stay = Trip { $trip } · stay { $id }
proposed-accepted = accepted at once (instant offer)
proposed-requested = requested; the owner was asked
proposed-not-found = not found for this office

# Why an offer fits a trip.
reason-ride = { $distance } detour · leaves { $when }
reason-before-arrive = { $n ->
    [0] the day you arrive
    [1] the day before you arrive
   *[other] { $n } days before you arrive
}
reason-after-leave = { $n ->
    [0] the day you leave
    [1] the day after you leave
   *[other] { $n } days after you leave
}
reason-stay = { $distance } from the office · { $free }
reason-nights-free = { $n ->
    [one] the 1 night free
   *[other] all { $n } nights free
}
office-stay-detail = { $beds } · { $distance } from the office
office-ride-home-when = home from the office { $date }

# The campaign figures for admins.
campaign-title = Campaign
campaign-as-of = As of { $today }. “Next 7 days” is today through { $end }.
campaign-all-offices = All offices
campaign-col-seats = Seats offered
campaign-col-bed-nights = Bed-nights offered
campaign-col-trips = Trips
campaign-col-matched = Matched
campaign-col-accepted = Accepted bookings
campaign-col-arriving = Arriving, next 7 days
campaign-col-gaps = Gaps, next 7 days
campaign-col-seats-home = Seats home offered
campaign-col-served = People served
campaign-col-proposals = Proposals could serve
campaign-of = { $n } of { $total }
campaign-more = { $n } more
campaign-counted = What is counted
campaign-note-seats = all seats of open rides to the office leaving today or later (seats already booked included);
campaign-note-seats-home-label = seats home offered
campaign-note-seats-home = the same for rides home from the office.
campaign-note-beds = beds × nights from today on of open stays, without blocked nights (beds already booked included). Stays belong to no office, so each counts for the nearest office within { $radius }, the usual sleep radius
campaign-note-beds-elsewhere = ; { $n } bed-nights are offered farther from every office and are in no line
campaign-note-trips = open trips arriving today or later.
campaign-note-matched = of those trips that need a ride (there or home) or a bed, the share that already has an accepted booking or has at least one open offer that fits by the matching rules right now. Booked trips count as matched because a full ride or house no longer “fits” the very trip it took.
campaign-note-accepted = accepted rides and stays of those trips.
campaign-arriving-label = Arriving
campaign-note-arriving = people (party sizes counted) arriving in the next 7 days;
campaign-gaps-label = gaps
campaign-note-gaps = those trips still without a confirmed ride (there or home) or bed they need.
campaign-note-served = people (party sizes) of the open trips ahead with every ride and bed they need confirmed.
campaign-note-proposals-a = the people more that the office's proposal (
campaign-note-proposals-b = on its dashboard: arrivals today and the next 14 days, open legs only, room left after requests) would serve fully if its staff sent it; each office's solve stops after half a second with the best found.

# Pages an emailed link opens.
link-problem-title = This link does not work
link-nothing-changed = Nothing was changed.
link-confirm-text = Confirm that { $email } is your email address.
link-use-email-text = Use { $email } for your Trip Planner account from now on, to log in and to get our emails.
link-email-taken = Another account already uses { $email }, so your address was not changed.
password-reset-intro = Choose a new password for { $email }.
password-claim-intro = Your account for { $email } is ready. Choose a password to log in and see your plans.
alerts-off-title = Alerts turned off
alerts-off-mind = Changed your mind? Turn them back on from your trip's page or your account page.
alerts-stop-trip = Stop the emails about new rides and beds for { $about }.
alerts-stop-offer = Stop the emails about new trips that fit for { $about }.
alerts-off-text = You'll get no more alerts about { $about }.
alerts-about-trip = your trip to { $office } ({ $dates })
alerts-about-no-trip = a trip that no longer exists
alerts-about-ride = your ride on { $date }
alerts-about-no-ride = a ride that no longer exists
feed-created-title = Your calendar feed
feed-created-replaced = Here is your new feed address. The old one no longer works: update any calendar that used it.
feed-created-subscribe = Subscribe to this address in your calendar app (in Google Calendar: “Other calendars → From URL”; in Apple Calendar: “File → New Calendar Subscription”; in Outlook: “Add calendar → Subscribe from web”). Your confirmed rides and nights then appear there and stay up to date.
feed-created-secret = It is a secret, like a password: anyone who has it can see where and when you travel. If it gets out, make a new one on
feed-created-secret-end = , which turns this one off.
feed-created-back = Back to My trips
confirm-accept-title = Accept request
confirm-decline-title = Decline request
confirm-link-problem = This link doesn't work
confirm-nothing-changed = Nothing was changed by this link.
confirm-see-booking = See this booking
confirm-see-offers = See your offers and requests
confirm-accept-q = Accept this request?
confirm-decline-q = Decline this request?
confirm-asks-for = { $traveller } asks for { $what }.
confirm-yes-accept = Yes, accept
confirm-yes-decline = Yes, decline
booking-what-ride = { $seats } on { $name }'s ride to { $office } on { $date }
booking-what-ride-home = { $seats } on { $name }'s ride home from { $office } on { $date }
booking-what-stay = { $beds } at { $name }'s in { $town } for { $nights }
booking-seats = { $n ->
    [one] a seat
   *[other] { $n } seats
}
booking-beds = { $n ->
    [one] a bed
   *[other] { $n } beds
}
booking-night-of = the night of { $date }
booking-nights-of = the nights of { $from } to { $to }
booking-nights-asked = the nights you asked for
booking-leaves-at = Leaves { $date } at { $time } from { $town }
booking-for-nights = For { $nights }
booking-your-ride-to = your ride to { $office } on { $date }
booking-your-beds-in = your beds in { $town } for { $nights }
booking-in-days = { $n ->
    [one] in { $n } day
   *[other] in { $n } days
}
booking-in-hours = { $n ->
    [one] in { $n } hour
   *[other] in { $n } hours
}
booking-in-minutes = { $n ->
    [one] in { $n } minute
   *[other] in { $n } minutes
}
booking-now = now
booking-soon = soon
booking-flash-booked = Booked: { $what }. Their contact details are below.
booking-flash-sent = Request sent to { $name }. We'll email you the answer.

# The office's calendar feed (read by calendar apps; `?lang=es` on its address)
feed-calendar-name = { $office }: arrivals
feed-arrives = { $name } arrives
feed-arrives-party = { $name } (+{ $more }) arrives
feed-one-person = 1 person
feed-party-of = party of { $n }
feed-day-trip = day trip
feed-leaves = leaves { $date }
feed-from-arrives-sleeps = From { $town }, { $party }, { $stay }. Arrives: { $arrives }. Sleeps: { $sleeps }.
feed-goes-home = Goes home: { $how }.
feed-details = Details: { $url }
feed-own-way = on their own
feed-own-arrangements = own arrangements
feed-confirmed-with = with { $name } (confirmed)
feed-asked = asked { $name }, not confirmed
feed-no-ride = no ride yet
feed-no-bed = no bed yet

skip-to-content = Skip to content
