# Fechas. $weekday/$wd son el día de la semana completo/abreviado, $month/$mon
# el mes completo/abreviado, $day el día del mes, $year el año.
date-long = { $weekday } { $day } de { $month }
date-long-year = { $weekday } { $day } de { $month } de { $year }
date-day = { $wd } { $day } { $mon }
date-short = { $day } { $mon }
date-short-year = { $day } { $mon } { $year }
weekday-1 = lunes
weekday-2 = martes
weekday-3 = miércoles
weekday-4 = jueves
weekday-5 = viernes
weekday-6 = sábado
weekday-7 = domingo
weekday-abbr-1 = lun
weekday-abbr-2 = mar
weekday-abbr-3 = mié
weekday-abbr-4 = jue
weekday-abbr-5 = vie
weekday-abbr-6 = sáb
weekday-abbr-7 = dom
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
month-abbr-1 = ene
month-abbr-2 = feb
month-abbr-3 = mar
month-abbr-4 = abr
month-abbr-5 = may
month-abbr-6 = jun
month-abbr-7 = jul
month-abbr-8 = ago
month-abbr-9 = sept
month-abbr-10 = oct
month-abbr-11 = nov
month-abbr-12 = dic
count-nights = { $n ->
    [one] { $n } noche
   *[other] { $n } noches
}
count-people = { $n ->
    [one] { $n } persona
   *[other] { $n } personas
}
count-seats = { $n ->
    [one] { $n } asiento
   *[other] { $n } asientos
}
count-beds = { $n ->
    [one] { $n } cama
   *[other] { $n } camas
}
