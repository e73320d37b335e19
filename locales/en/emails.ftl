# Emails: subjects, texts, buttons. The English must read exactly as the Rust code writes it.
email-greeting = Hi { $name },
email-or-open = Or open this link:
email-subject-confirm = Confirm your email address
email-verify-text = Thanks for joining Trip Planner. Please confirm that this is your email address: then you can offer rides and beds and ask for them.
email-verify-lasts = The link works for 7 days. If you did not sign up, ignore this email and nothing happens.
email-verify-button = Confirm my email address
email-subject-reset = Reset your Trip Planner password
email-reset-text = Someone, hopefully you, asked to reset the password of the Trip Planner account for this address.
email-reset-lasts = The link works once, for one hour. If you did not ask for it, ignore this email: your password stays as it is.
email-choose-new-password = Choose a new password
email-subject-claim = Your Trip Planner account is ready
email-claim-text = A field office added you to Trip Planner, where campaign volunteers share rides and beds on their way to the field offices. Your rides, stays and trips are already there.
email-claim-choose = Choose a password to see them and to keep them up to date.
email-claim-lasts = The link works for 14 days. If you do not want an account, ignore this email.
email-choose-my-password = Choose my password
email-subject-change = Confirm your new email address
email-change-text = You asked to use this address for your Trip Planner account. Confirm it, and we will write to you here from now on.
email-change-lasts = The link works for 24 hours. If you did not ask for this, ignore this email: nothing changes.
email-use-address = Use this address
email-changed-warning = If you did not make this change, contact your field office straight away.
email-subject-changed = Your Trip Planner email address was changed
email-in-use-text = Someone signed in to another Trip Planner account asked to use this address for it. It already belongs to your account, so nothing changed.
email-in-use-if-you = If it was you, log in with this address. If you don't know your password, choose a new one with “Forgot your password?” on the login page.
email-not-you = If it wasn't you, you can ignore this email: your account is as it was.
email-subject-in-use = Someone tried to use your address
email-signup-attempt-text = Someone, maybe you, tried to sign up for Trip Planner with this address. It already belongs to your account, so no new account was made.
email-reset-lasts-short = The link works once, for one hour.
email-claim-made = A field office made this account for you. Choose a password with the button below to use it.
email-link-once = The link works once.
email-subject-signup-attempt = Someone tried to sign up with your address
email-answer-within = Please answer within 3 days; the request expires after that.
email-see-trip = See your trip
email-see-booking = See the booking
email-other-offers = Other offers may fit your trip; have a look.
email-see-what-fits = See what fits
email-open = Open Trip Planner
email-expires-tomorrow = The request expires tomorrow if nobody answers.
email-answer-request = Answer the request
email-nothing-else = Nothing else fits right now; new offers appear every day.
email-these-fit = These fit your trip too:
email-see-details = See the details
email-nudge-text = Your trip still lacks a confirmed ride or bed, and some offers fit it. Have a look and send a request.
email-see-offer = See your offer
email-hello = Hello,
ics-ride = Ride to { $office } with { $name }{ $party }
ics-ride-home = Ride home from { $office } with { $name }{ $party }
ics-staying = Staying at { $name }'s
ics-hosting = Hosting { $name }{ $party }
ics-description = Confirmed on Trip Planner: { $what }. Details and contacts: { $url }
# Booking emails.
email-hello-name = Hello { $name },
email-request-proposed = The { $office } team proposes { $traveller } from { $town } for { $what }: your offer fits their trip, and they asked for it on { $traveller }'s behalf.
email-request-asks = { $traveller } from { $town } asks for { $what }.
email-their-message = Their message: “{ $message }”
email-subject-request = { $traveller } asks for { $what }
email-accept = Accept
email-decline-link = Decline: { $url }
email-subject-asked-for-you = { $office } asked for { $what } for you
email-asked-for-you = The { $office } team asked { $owner } for { $what } for your trip. We will tell you as soon as { $owner } answers.
email-withdraw-if = If you no longer need it, or have made other plans, withdraw the request: nothing else changes.
email-withdraw-button = Withdraw this request
email-phone = Phone: { $phone }
email-address = Address: { $street }, { $town }
email-accepted = { $owner } accepted your request: { $what }.
email-subject-confirmed = Confirmed: { $what }
email-confirmed-guest = You have a confirmed guest: { $traveller } ({ $what }).
email-subject-booked = { $traveller } is booked: { $what }
email-subject-declined = Not this time: { $what }
email-declined = { $owner } can't take your request for { $what }.
email-subject-withdrawn = { $traveller }'s request was withdrawn
email-subject-withdrew = { $traveller } withdrew a request
email-no-longer-needs = { $traveller } no longer needs { $what }. Nothing else to do.
email-no-longer-needs-why = { $traveller } no longer needs { $what }: { $reason } for the trip. Nothing else to do.
email-reason-superseded = another one was confirmed
email-cancelled = { $who } cancelled { $what }.
email-reason = Reason: { $reason }
email-no-reason = none given
email-subject-cancelled = Cancelled: { $what }
email-subject-reminder = Reminder: { $traveller } is waiting for your answer
email-asked-two-days = { $traveller } asked two days ago for { $what }.
email-nothing-else-alerts = Nothing else fits right now. New offers appear every day; while your trip's alerts are on, we email you when one fits.
email-expired = Your request for { $what } got no answer in time, so it has expired.
email-subject-expired = Expired: { $what }
email-tomorrow = Tomorrow: { $what }.
email-subject-tomorrow = Tomorrow: { $what }
# Alerts.
email-alert-trip-news = { $n ->
    [one] Something new fits for your trip to { $office } ({ $dates }):
   *[other] { $n } new options fit for your trip to { $office } ({ $dates }):
}
email-alert-more-trip-page = …and { $n } more on your trip page.
email-alert-subject-trip = New for your trip to { $office }
email-alert-trip-once-a-day = We write at most once a day, while something you need is not confirmed.
email-alert-stop-trip = No more alerts for this trip: { $url }
email-alert-offer-line = { $name } from { $town }, { $when }, party of { $n }: { $reason }
email-alert-arrives = arrives { $date }
email-alert-leaves = leaves { $date }
email-alert-your-ride = your ride to { $office } on { $date }
email-alert-your-ride-home = your ride home from { $office } on { $date }
email-alert-your-beds = your beds in { $town }
email-alert-offer-news = { $n ->
    [one] A new trip fits { $about }:
   *[other] { $n } new trips fit { $about }:
}
email-alert-more-its-page = …and { $n } more on its page.
email-alert-offer-how = Travellers see your offer among their options and ask you from Trip Planner.
email-alert-subject-offer = New trips fit { $about }
email-alert-offer-once-a-day = We write at most once a day, because you asked for these emails.
email-alert-stop-offer = No more alerts for this offer: { $url }
# The office's daily digest.
email-digest-nobody = Nobody is expected at { $office } tomorrow, { $day }.
email-digest-travellers = { $n ->
    [one] { $n } traveller
   *[other] { $n } travellers
}
email-digest-people = { $n ->
    [one] { $n } person
   *[other] { $n } people
}
email-digest-arriving = { $n ->
    [one] Tomorrow, { $day }, { $travellers } ({ $people }) arrives at { $office }:
   *[other] Tomorrow, { $day }, { $travellers } ({ $people }) arrive at { $office }:
}
email-digest-arrival = • { $party } from { $town }: { $ride }; { $bed }.
email-digest-comes-on-own = comes on their own
email-digest-ride-confirmed = ride confirmed with { $name }
email-digest-ride-requested = ride requested from { $name }
email-digest-no-ride = no ride yet
email-digest-own-bed = own place to sleep
email-digest-bed-confirmed = bed confirmed with { $name }
email-digest-bed-requested = bed requested from { $name }
email-digest-no-bed = no bed yet
email-digest-ride-home-requested = ride home requested from { $name }
email-digest-no-ride-home = no ride home yet
email-digest-no-gaps = No open gaps: everyone arriving in the next week has the rides and beds they need, home included.
email-digest-gaps = { $n ->
    [one] Open gaps: { $n } arriving in the next { $days } days still lacks a ride, a bed or a ride home:
   *[other] Open gaps: { $n } arriving in the next { $days } days still lack a ride, a bed or a ride home:
}
email-digest-gap = • { $party }, arrives { $date }: { $missing }.
email-digest-more = …and { $n } more on the dashboard.
email-digest-subject-gaps = { $g ->
    [one] { $office }: { $g } open gap this week
   *[other] { $office }: { $g } open gaps this week
}
email-digest-subject-arriving = { $office }: { $n } arriving tomorrow
email-digest-subject-both = { $g ->
    [one] { $office }: { $n } arriving tomorrow, { $g } open gap
   *[other] { $office }: { $n } arriving tomorrow, { $g } open gaps
}
email-digest-open = Open the dashboard
email-digest-why = You get this every evening as staff of { $office }.
# The office's reminders (nudges).
email-nudge-subject-traveller = { $office }: rides and beds for your trip
email-nudge-looking-forward = The { $office } team is looking forward to seeing you on { $date }.
email-nudge-seat = a seat in your car
email-nudge-seat-home = a seat home in your car
email-nudge-bed = a bed
email-nudge-subject-owner = { $office } needs { $what }
email-nudge-owner-arrives = { $name } from { $town } arrives at { $office } on { $date } and still needs { $what }. Your offer fits their trip; they can ask you from Trip Planner, and the office would be grateful.
email-nudge-owner-leaves = { $name } from { $town } leaves { $office } on { $date } and still needs { $what }. Your offer fits their trip; they can ask you from Trip Planner, and the office would be grateful.
# Account emails with a link or an address in the text.
email-changed-text = The email address of your Trip Planner account is now { $email }. We will write to that address from now on.
email-forgot-link = Forgot your password? { $url }
email-signup-if-you = If it was you, log in at { $url } with this address, or choose a new password with the button below.
email-if-not-you-ignore = If it wasn't you, ignore this email: your account is as it was.
