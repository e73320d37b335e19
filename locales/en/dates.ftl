# Dates. $weekday/$wd are the full/short weekday, $month/$mon the full/short
# month, $day the day of the month, $year the year.
date-long = { $weekday } { $month } { $day }
date-long-year = { $weekday } { $month } { $day }, { $year }
date-day = { $wd } { $mon } { $day }
date-short = { $mon } { $day }
date-short-year = { $mon } { $day }, { $year }
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
weekday-abbr-1 = Mon
weekday-abbr-2 = Tue
weekday-abbr-3 = Wed
weekday-abbr-4 = Thu
weekday-abbr-5 = Fri
weekday-abbr-6 = Sat
weekday-abbr-7 = Sun
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-abbr-1 = Jan
month-abbr-2 = Feb
month-abbr-3 = Mar
month-abbr-4 = Apr
month-abbr-5 = May
month-abbr-6 = Jun
month-abbr-7 = Jul
month-abbr-8 = Aug
month-abbr-9 = Sep
month-abbr-10 = Oct
month-abbr-11 = Nov
month-abbr-12 = Dec
count-nights = { $n ->
    [one] { $n } night
   *[other] { $n } nights
}
count-people = { $n ->
    [one] { $n } person
   *[other] { $n } people
}
count-seats = { $n ->
    [one] { $n } seat
   *[other] { $n } seats
}
count-beds = { $n ->
    [one] { $n } bed
   *[other] { $n } beds
}
