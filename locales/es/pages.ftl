# Pages.
home-title = Viajes y camas para voluntarios de campaña
home-heading = Ayuda donde la elección está reñida
home-intro = Trip Planner conecta a voluntarios que viajan a oficinas de campaña en estados clave con simpatizantes que ofrecen un asiento en su carro o una cama en su casa.
home-find-office = Buscar una oficina de campaña
home-travelling = ¿Vas a viajar?
home-travelling-text = Dinos cuándo puedes ayudar y desde dónde. Te buscamos viajes y camas que se ajusten a tus fechas.
home-driving = ¿Vas a manejar?
home-driving-text = Ofrece los asientos libres de tu carro camino a una oficina.
home-hosting = ¿Puedes hospedar?
home-hosting-text = Ofrece una cama cerca de una oficina las noches que elijas.
action-plan-trip-arrow = Planear un viaje →
action-offer-ride-arrow = Ofrecer un viaje →
action-offer-beds-arrow = Ofrecer camas →
login-title = Iniciar sesión
field-email = Email
field-password = Contraseña
login-forgot = ¿Olvidaste tu contraseña?
login-new-here = ¿Eres nuevo?
form-fix-fields = Corrige los campos marcados abajo.
signup-already = ¿Ya tienes una cuenta?
signup-create = Crear cuenta
field-your-name = Tu nombre
hint-password = Al menos 10 caracteres. Una frase corta funciona bien.
field-home = Dónde vives
hint-home = Código postal (ZIP) o ciudad y estado, como 94110 o Madison, WI.
field-phone-optional = Teléfono (opcional)
hint-phone = Solo lo ven las personas con quienes viajas o te hospedas.
hint-did-you-mean = ¿Quisiste decir:
signup-privacy-hint = Qué guardamos sobre ti, quién lo ve y por cuánto tiempo:
footer-privacy-lower = privacidad
check-inbox-title = Revisa tu correo
check-inbox-sent = Te enviamos un email a
check-inbox-open = Abre el enlace que contiene para iniciar sesión.
check-inbox-wait = Puede tardar un minuto en llegar; revisa también la carpeta de spam. ¿Dirección equivocada?
check-inbox-again = Regístrate de nuevo
offices-title = Oficinas de campaña
offices-near-label = Más cercanas a una ciudad o código postal
offices-sort = Ordenar por distancia
offices-all-by-state = Todas las oficinas por estado
offices-add-home = Agrega dónde vives en tu cuenta para ver a qué distancia está cada oficina.
offices-none = Todavía no hay oficinas de campaña.
offices-create-first = Crear la primera
offices-nearest-to = Más cercanas a { $place }
distance-away = a { $distance }
distance-from-home = a { $distance } de tu casa
placeholder-near = 53703 o Madison, WI
home-counts = { $offices } oficinas de campaña · { $volunteers } voluntarios registrados
field-office = Oficina de campaña
choose-office = Elige una oficina…
action-edit = Editar
action-pause = Pausar
action-resume = Reanudar
action-cancel = Cancelar
action-accept = Aceptar
action-decline = Rechazar
trip-edit-title = Editar viaje
trip-edit-heading = Edita tu viaje
trip-new-heading = Planea un viaje para ayudar a una oficina
action-plan-trip = Planear un viaje
field-from = Viajas desde
hint-zip-or-town = Código postal (ZIP) o ciudad y estado.
field-arrive = Llegada
field-leave = Salida
hint-leave = El día que regresas a casa.
field-party = Personas que viajan juntas
hint-party = De 1 a 10, contándote a ti.
trip-you-need = Necesitas
trip-neither-hint = No marques ninguna si viajas y duermes por tu cuenta: la oficina te espera igual.
need-ride = Un viaje
need-bed = Una cama
field-flex = Días que podrías salir antes para conseguir viaje
hint-flex = 0 a 7. Por defecto 1: el día antes de llegar (y, para un viaje de vuelta, el día después de irte).
field-max-stay = Lo más lejos que dormirías de la oficina (km)
hint-default-40 = Por defecto 40.
trip-must-have = Indispensable
need-step-free = Acceso sin escalones
need-no-pets = Sin mascotas (alergia)
need-no-smoking = Sin humo
field-notes-optional = Notas (opcional)
trip-save = Guardar viaje
trip-find = Buscar viajes y camas
ride-edit-title = Editar viaje
ride-edit-heading = Edita tu viaje
ride-new-heading = Ofrece asientos en tu carro
field-leaving-from = Sales desde
field-depart-date = Fecha de salida
field-depart-time = Hora de salida
hint-office-time = En la hora local de la oficina.
field-seats = Asientos libres
hint-seats = De 1 a 8; hasta 60 para una camioneta o autobús (indícalo en las notas).
field-detour = Desvío máximo que harías (km)
hint-detour = Para recoger a alguien en el camino. Por defecto 25.
field-return-optional = Fecha de regreso (opcional)
ride-your-car = Tu carro
car-luggage = Espacio para equipaje
car-smoking = Se permite fumar
car-pets = Mascotas bienvenidas
car-step-free = Sin escalones / accesible en silla de ruedas
instant-accept = Aceptar solicitudes al instante (sin responder cada una)
hint-ride-notes = Lo que deban saber los pasajeros.
ride-save = Guardar viaje
ride-offer = Ofrecer viaje
stay-edit-heading = Edita tu oferta de hospedaje
stay-new-heading = Ofrece camas en tu casa
hint-stay-place = Código postal (ZIP) o ciudad y estado. Los viajeros solo ven la ciudad hasta que los aceptes.
field-street = Dirección (opcional, privada)
hint-street = Solo la ven los huéspedes que aceptes.
field-beds = Camas
hint-beds = Cuántas personas puedes hospedar cada noche.
field-first-night = Primera noche
field-last-night = Última noche
field-blocked = Noches que no estás (opcional)
hint-blocked = Fechas como 2026-10-03, separadas por comas.
stay-your-home = Tu casa
home-pets = Aquí viven mascotas
home-smoking = Se fuma adentro
home-children = Niños bienvenidos
field-house-rules = Reglas de la casa y notas (opcional)
stay-save = Guardar hospedaje
me-title = Mis viajes y ofertas
me-waiting = Esperando tu respuesta
action-offer-ride = Ofrecer un viaje
action-offer-beds = Ofrecer camas
me-trips = Viajes
me-no-trips = Todavía no has planeado ningún viaje.
me-plan-one = Planea uno
me-plan-one-after = para ver viajes y camas que te sirvan.
me-rides = Viajes que ofrezco
me-no-rides = No ofreces viajes. ¿Vas manejando a una oficina?
me-offer-seats = Ofrece tus asientos libres
me-stays = Camas que ofrezco
me-no-stays = No ofreces camas. ¿Vives cerca de una oficina?
me-offer-bed = Ofrece una cama
me-feed = Calendario suscrito
me-feed-text = Suscríbete a tu calendario privado en Google Calendar, Apple Calendar u Outlook y tus viajes y noches confirmados aparecerán solos, como viajero y como conductor o anfitrión. Cualquiera que tenga la dirección puede verlos, así que guárdala para ti; crear una dirección nueva desactiva la anterior.
me-feed-lost = Su dirección se mostró una sola vez, al crearla; si la perdiste, crea una nueva.
me-feed-new = Crear una dirección nueva
me-feed-off = Desactivar el calendario
me-feed-none = No tienes un calendario suscrito.
me-feed-create = Crear mi calendario
stay-edit-title = Editar hospedaje
party-of = grupo de { $n }
party-of-asks-for = grupo de { $n } pide
me-expires = Vence { $when } si no respondes.
ride-to = A { $office }
date-from-town = { $date } desde { $town }
seats-free-of = { $free } de { $n ->
    [one] { $n } asiento libre
   *[other] { $n } asientos libres
}
me-feed-on = Tu calendario está activo (creado el { $since }).
back-my-trips = ← Mis viajes y ofertas
message-optional = Mensaje (opcional)
request-seat = Pedir un asiento
request-beds = Pedir camas
label-from = Desde
label-dates = Fechas
label-party = Grupo
label-needs = Necesita
trip-needs-nothing = nada: viajas y duermes por tu cuenta
trip-your-plan = Tu plan
trip-earlier = Solicitudes anteriores
trip-arrival-passed = La fecha de llegada de este viaje ya pasó.
trip-rides-fit = Viajes que te sirven
trip-no-rides = Todavía no hay viajes que te sirvan. Los conductores agregan viajes todos los días; vuelve pronto.
trip-beds-fit = Camas que te sirven
trip-no-beds = Todavía no hay camas que te sirvan. Los anfitriones agregan camas todos los días; vuelve pronto.
cancel-first = ; cancélalo primero para elegir otro.
back-all-offices = ← Todas las oficinas
office-timezone = Zona horaria local
office-needed = Voluntarios necesarios
label-contact = Contacto
office-dashboard = Panel de llegadas
office-edit = Editar oficina y equipo
office-offers = Viajes y camas hacia esta oficina
office-plan-here = Planear un viaje aquí
office-login-to-see = para ver quién los ofrece.
office-rides-soonest = Viajes, los más próximos primero
office-no-rides = Todavía no hay viajes abiertos a esta oficina.
office-plan-with = Planear un viaje con esta oferta
office-your-ride = tu viaje
office-beds-nearest = Camas, las más cercanas primero
office-no-beds = Todavía no hay camas disponibles cerca de esta oficina.
office-your-beds = tus camas
label-leaves = Sale
label-returns = Regresa
label-seats = Asientos
label-detour = Desvío
label-car = Carro
label-notes = Notas
requests-bookings = Solicitudes y reservas
no-requests = Todavía no hay solicitudes. Los viajeros a quienes les sirva pueden pedirlo desde la página de su viaje.
ride-fits = Viajeros a quienes les sirve tu viaje
ride-no-trips = Todavía no hay viajes abiertos que encajen con este. Aparecerán aquí a medida que los viajeros planeen sus viajes.
stay-title = Tu oferta de hospedaje
label-place = Lugar
label-nights = Noches
label-away = Fuera
label-beds = Camas
label-home = Casa
stay-fits = Viajeros a quienes les sirven tus camas
stay-no-trips = Todavía no hay viajes abiertos para estas noches. Aparecerán aquí a medida que los viajeros planeen sus viajes.
booking-title = Reserva
back = ← Volver
booking-traveller = Viajero
booking-contact-later = Los datos de contacto se comparten cuando se acepta la solicitud.
booking-withdraw = Retirar mi solicitud
booking-add-calendar = Agregar a mi calendario
booking-cancel-reason = Cancelar con un motivo
booking-reason-required = Obligatorio: la otra persona lo lee.
booking-cancel = Cancelar esta reserva
booking-history = Historial
account-title = Tu cuenta
label-name = Nombre
label-email = Email
label-phone = Teléfono
account-confirmed = confirmado
account-not-confirmed = sin confirmar todavía
account-no-phone = no lo diste
account-change-email = Cambiar dirección de email
account-change-password = Cambiar contraseña
account-units = Mostrar distancias en
action-save = Guardar
account-your-data = Tus datos
account-download = Descargar mis datos
account-download-text = Un archivo con todo lo que guardamos sobre ti. Mira
account-delete = Borrar mi cuenta
account-reads = Quién vio tus datos de contacto
account-no-reads = Nadie del equipo de una oficina ha visto tu teléfono, email o dirección.
account-staff = Miembro del equipo
account-office = Oficina
account-when = Cuándo (UTC)
account-resend-text = Te enviamos un enlace para confirmar tu dirección. ¿No te llegó?
trip-your-title = Tu viaje a { $office }
trip-heading = Viaje a { $office }
dates-to-nights = del { $from } al { $to } ({ $n ->
    [one] { $n } noche
   *[other] { $n } noches
 })
needs-a-ride = un viaje
needs-flex-one = (puede salir un día antes)
needs-flex-many = (puede salir hasta { $n } días antes)
word-and = y
needs-bed-within = una cama a menos de { $distance }
fact-step-free = sin escalones
fact-no-pets = sin mascotas
fact-no-smoking = sin humo
trip-not-matched = Este viaje está { $status }, así que no se busca nada.
ride-confirmed-with = Tu viaje está confirmado con
bed-confirmed-with = Tu cama está confirmada con
from-town = desde { $town }
in-town = en { $town }
trip-own-way = Vienes y duermes por tu cuenta; { $office } te espera.
distance-from-your-home = a { $distance } de tu casa
per-day = { $n } por día
office-counts = { $rides } { $rides ->
    [one] viaje próximo
   *[other] viajes próximos
 } · { $stays } { $stays ->
    [one] hospedaje
   *[other] hospedajes
 } a menos de { $distance }
ride-your-title = Tu viaje a { $office }
ride-heading = Viaje a { $office }
date-at-time = { $date } a las { $time }
seats-free-of-total = { $free } libres de { $n }
up-to = hasta { $distance }
fact-luggage = espacio para equipaje
fact-smoking = se fuma
fact-pets-welcome = mascotas bienvenidas
ride-not-matched = Este viaje está { $status }, así que no se ofrece a nadie.
arrives = llega el { $date }
stay-heading = Camas en { $town }
fact-private = (privado)
per-night = { $n } por noche
fact-pets-live-here = aquí viven mascotas
fact-children = niños bienvenidos
offer-not-matched = Esta oferta está { $status }, así que no se ofrece a nadie.
booking-ride-heading = Viaje para ayudar en { $office }
booking-stay-heading = Hospedaje para ayudar en { $office }
booking-message = Mensaje:
booking-reason-given = Motivo:
booking-driver = Conductor
booking-host = Anfitrión
plan-ride-with = Viaje con { $name }: sale el { $date } a las { $time } desde { $town }
plan-sleeping-at = Duermes en casa de { $name }: { $place }
plan-ride-requested = Viaje pedido, esperando a { $name }
plan-bed-requested = Cama pedida, esperando a { $name }
plan-no-ride = Todavía sin viaje
plan-no-bed = Todavía sin cama
count-seats-free = { $n ->
    [one] { $n } asiento libre
   *[other] { $n } asientos libres
}
dates-to = del { $from } al { $to }
credits-about = Acerca de Trip Planner
credits-intro = Trip Planner es software libre para campañas electorales: los simpatizantes ofrecen asientos y camas, los voluntarios que viajan encuentran transporte y un lugar para dormir, y las oficinas de campaña ven quién va a llegar.
credits-data = Créditos de los datos
credits-zip = Códigos postales (ZIP), nombres de ciudades y coordenadas:
credits-licensed = , con licencia
credits-changed = Fueron modificados: filtrados a los 50 estados y DC, combinados y, donde se pudo, con las coordenadas de los ZIP reemplazadas por los puntos internos del ZCTA Gazetteer 2023 de la Oficina del Censo de EE. UU. (dominio público).
credits-outlines = Contornos de los estados: archivos cartográficos de límites 2017 de la Oficina del Censo de EE. UU. (dominio público), vía us-atlas (ISC).
credits-distances = Las distancias son en línea recta (círculo máximo) entre los centros de los ZIP o de las ciudades, así que son aproximadas.
privacy-y2 = en la misma página, "Borrar mi cuenta" cancela tus reservas (se le avisa a la otra persona) y elimina para siempre tu nombre, email, teléfono y dirección. Tus viajes quedan solo como conteos anónimos para la oficina. Más adelante puedes registrarte de nuevo con la misma dirección.
privacy-w3 = El equipo de la oficina de campaña a la que viajas ve los mismos datos, para recibirte. Cada vez que alguien del equipo mira tus datos de contacto, anotamos quién, de qué oficina y cuándo. Puedes ver esa lista en la página de tu cuenta.
privacy-k2 = Después de la elección se borran los viajes, traslados, camas, solicitudes y las cuentas que quedan vacías. Cada oficina guarda solo conteos anónimos de cuántas personas llegaron cada día.
privacy-y1-b = , "Descargar mis datos" te da un archivo con todo lo que guardamos sobre ti, incluido quién leyó tus datos de contacto.
privacy-c4 = Los viajes, camas y traslados que ofreces o planeas, las solicitudes que haces o respondes, y las notas que les agregas.
privacy-w2 = Cuando se acepta un viaje o una cama, la otra persona ve tu teléfono, email y calle, para que puedan encontrarse.
privacy-y3 = Si no puedes iniciar sesión, escribe a la campaña y un administrador borrará tu cuenta por ti.
privacy-c2 = Dónde vives: un código postal (ZIP) o una ciudad, y una calle solo si la das para un viaje o una cama.
privacy-c1 = Tu nombre, dirección de email y contraseña (de la contraseña guardamos solo una forma cifrada).
privacy-w1 = Antes de que se acepte una solicitud, la otra persona ve solo tu nombre de pila y tu ciudad.
privacy-w4 = Nadie más ve tus datos. No los vendemos ni los compartimos.
privacy-k1 = Los emails que enviamos se guardan como máximo 7 días y luego se borran.
privacy-c3 = Tu número de teléfono, si nos lo das.
privacy-yours = Obtener tus datos o borrarlos
privacy-heading = Privacidad: qué guardamos sobre ti
privacy-c5 = Los emails que te enviamos.
privacy-who = Quién ve qué, y cuándo
privacy-kept = Por cuánto tiempo lo guardamos
privacy-collected = Qué recopilamos
privacy-account-page = página de tu cuenta
privacy-download = Descargar:
privacy-title = Privacidad
privacy-y1-a = en la
privacy-delete = Borrar:
admin-back = ← Administración
office-edit-title = Editar oficina
office-new-title = Nueva oficina
office-new-heading = Nueva oficina de campaña
field-name = Nombre
field-place = Lugar
hint-office-place = Código postal (ZIP) o ciudad y estado. El estado sale del lugar.
field-timezone = Zona horaria
hint-timezone = Nombre IANA como America/Phoenix. Déjalo vacío para usar la zona habitual del estado.
field-contact-optional = Email de contacto (opcional)
field-needed-optional = Voluntarios necesarios por día (opcional)
office-save = Guardar oficina
office-staff = Equipo de la oficina
office-no-staff = Todavía no hay nadie asignado al equipo.
action-remove = Quitar
field-add-staff = Agregar al equipo por email
hint-add-staff = La persona ya debe tener una cuenta.
office-add-staff = Agregar al equipo
admin-heading = Administración
admin-campaign-figures = Cifras de la campaña
admin-no-offices = Todavía no hay oficinas.
col-office = Oficina
col-town = Ciudad
col-staff = Equipo
admin-email = Email
admin-no-problems = No hay problemas de entrega.
admin-problems-text = Emails que fallaron al menos una vez y no se enviaron, los más recientes primero. Los que se reintentan se vuelven a probar solos; los abandonados quedan aquí con su último error. Los intentos cuentan las veces que el sistema de correo rechazó un email; mientras no se lo puede contactar, los emails esperan sin gastar intentos.
col-to = Para
col-subject = Asunto
col-attempts = Intentos
col-status = Estado
col-last-error = Último error
dash-show = Mostrar
dash-download-csv = Descargar CSV
dash-chart-legend = Barras: personas presentes (contando el tamaño de cada grupo). Línea punteada: voluntarios necesarios por día. Las barras rojas no alcanzan.
dash-day-by-day = Día por día
dash-col-day = Día
dash-col-arriving = Llegan
dash-col-leaving = Se van
dash-col-no-ride-home = Se van sin viaje de vuelta
dash-col-on-hand = Presentes
dash-col-needed = Necesarios
dash-col-checked-in = Registrados
dash-col-no-show = No vinieron
dash-col-gaps = Faltantes
dash-everyone-has = Todos los que llegan en estos días tienen los viajes y camas que necesitan.
dash-nudge-traveller = Recordar al viajero
dash-nudge-driver = recordar al conductor
dash-nudge-host = recordar al anfitrión
dash-no-offer = Todavía no hay una oferta abierta que sirva.
forgot-text = Escribe la dirección de email de tu cuenta y te enviaremos un enlace para elegir una contraseña nueva.
forgot-send = Envíame un enlace
forgot-back = Volver a iniciar sesión
password-others-out = Se cerrará la sesión de quien esté en tu cuenta en otro dispositivo.
field-current-password = Tu contraseña actual
hint-current-password = Para asegurarnos de que eres tú.
field-new-password = Contraseña nueva
password-save = Guardar mi contraseña nueva
back-to-account = Volver a tu cuenta
email-change-you-use = Usas
field-new-email = Dirección de email nueva
email-change-send = Enviar el enlace
delete-title = Borrar tu cuenta
delete-text = Esto cancela tus reservas (se le avisa a la otra persona, solo con tu nombre de pila) y elimina para siempre tu nombre, dirección de email, teléfono, calle y contraseña. Tus viajes y ofertas quedan solo como conteos anónimos para las oficinas. Más adelante puedes registrarte de nuevo con la misma dirección.
delete-may-want = Quizá quieras
delete-download = descargar tus datos
delete-first = antes.
dashboards-title = Tus paneles
dashboards-heading = Tus oficinas
dashboards-none = No formas parte del equipo de ninguna oficina.
dashboards-your-trips = Tus viajes y ofertas
dashboards-choose = Elige una oficina para ver quién llega y cuándo, y lo que falta.

# Rides home, the plan, alerts, proposals and maps (merged in issue 12, 13, 16).
ride-home-heading = Viaje de vuelta desde { $office }
label-to = Hasta
leaves-on = sale el { $date }
field-leaving-from-or-home = Sales desde (o vuelves a, en un viaje de vuelta)
field-drive-back = Y vuelvo en coche el (opcional)
hint-drive-back = Ofrece un segundo viaje, de vuelta desde la oficina ese día hasta donde sales, con los mismos asientos y desvío; cada uno se reserva por separado.
need-ride-home = Un viaje de vuelta
needs-a-ride-home = un viaje de vuelta
to-town = hasta { $town }
plan-ride-home-with = Vuelta con { $name }: sale el { $date } a las { $time } hacia { $town }
plan-ride-home-requested = Viaje de vuelta solicitado, esperando a { $name }
plan-no-ride-home = Todavía sin viaje de vuelta
trip-rides-home-fit = Viajes de vuelta que encajan
trip-no-rides-home = Todavía no encaja ningún viaje de vuelta. Los conductores añaden viajes cada día; vuelve pronto.
home-confirmed-with = Tu viaje de vuelta está confirmado con
leg-not-needed = No hace falta
leg-confirmed = Confirmado
leg-requested = Solicitado
leg-nothing-fits = Hace falta, todavía no encaja nada
count-options = { $n ->
    [one] { $n } opción
   *[other] { $n } opciones
}
more-rides = { $n ->
    [one] { $n } viaje más
   *[other] { $n } viajes más
}
more-stays = { $n ->
    [one] { $n } lugar más para dormir
   *[other] { $n } lugares más para dormir
}
more-rides-home = { $n ->
    [one] { $n } viaje de vuelta más
   *[other] { $n } viajes de vuelta más
}
missing-nothing-needed = No necesitas viaje ni cama: la oficina te espera por tu cuenta.
missing-complete = Tu plan está completo: todo lo que necesitas está confirmado.
missing-waiting = No falta nada más que una respuesta: esperas noticias sobre { $waiting }.
missing-need = Todavía necesitas { $needed }.
missing-need-and-waiting = Todavía necesitas { $needed }, y esperas noticias sobre { $waiting }.
missing-a-ride-there = un viaje de ida el { $date }
missing-a-nights = una cama { $date }
missing-a-ride-home = un viaje de vuelta el { $date }
missing-your-ride-there = tu viaje de ida el { $date }
missing-your-nights = tu cama { $date }
missing-your-ride-home = tu viaje de vuelta el { $date }
alerts-heading = Avisos
trip-alerts-on = Los avisos están activados: cuando un viaje o una cama nuevos encajan con lo que aún necesitas, te escribimos, como mucho una vez al día.
trip-alerts-off = Los avisos están desactivados para este viaje: no te escribiremos cuando algo nuevo encaje.
trip-alerts-turn-off = Desactivar los avisos
trip-alerts-turn-on = Activar los avisos
offer-alerts-on = Los avisos están activados: cuando un viaje nuevo encaja con esta oferta, te escribimos, como mucho una vez al día.
offer-alerts-off = ¿Quieres saber cuándo un viaje nuevo encaja con esta oferta? Podemos escribirte, como mucho una vez al día.
offer-alerts-turn-on = Escríbeme cuando encajen viajes
offer-alerts-turn-off = Dejar de recibir estos correos
account-no-alerts = No tienes ningún viaje próximo que vigilar. Cuando planees uno, te escribiremos cuando aparezca un viaje o una cama que encaje.
account-alert-trip = Viaje a { $office }, { $dates }
account-alert-ride = Viaje a { $office }, { $date }
account-alert-ride-home = Vuelta desde { $office }, { $date }
account-alert-stay = Camas en { $town }, { $dates }
alert-on = activados
alert-off = desactivados
alert-turn-off = Desactivar
alert-turn-on = Activar
dash-propose = Proponer emparejamientos
map-from = Mapa desde
map-to = hasta
map-show = Mostrar
map-rides-from = Viajes desde { $town }: { $count }
map-beds-in = Camas en { $town }: { $count }
map-travellers-from = Viajeros desde { $town }: { $count }
map-the-office = { $name } (la oficina)
map-office-title = Mapa de { $office } y sus viajes y camas
map-office-desc = { $range }. Los puntos marcan pueblos y ciudades; un punto más grande significa más asientos, camas o personas. Los mismos lugares están en la lista debajo del mapa.
map-inset-title = Camas a menos de { $distance } de { $office }
map-inset-desc = { $range }. Un acercamiento alrededor de la oficina, con barra de escala.
map-your-town = Tu ciudad: { $town }
map-route = { $ride }: el camino por tu ciudad hasta la oficina
map-trip-title = Mapa de tu viaje a { $office }
map-trip-desc = Tu ciudad, la oficina, dónde salen los viajes que te sirven con su camino por tu ciudad, y las camas que te sirven. Los mismos lugares están en la lista debajo del mapa.
fix-this-field = Corrige este campo:
fix-these-fields = Corrige estos campos:

# The office's day page and printable roster.
day-back-arrivals = ← Llegadas
day-roster = Lista para imprimir
day-count = { $people ->
    [one] { $people } persona
   *[other] { $people } personas
 } ({ $total ->
    [one] { $total } viajero
   *[other] { $total } viajeros
 }) presentes o por llegar.
day-contact-note = Los datos de contacto son solo para el equipo; cada consulta queda registrada.
day-nobody = No se espera a nadie este día.
day-arrives-today = llega hoy
day-arrives = Llega: { $how }
day-sleeps = Duerme: { $sleep }
day-goes-home = Vuelve: { $home }
day-checked-in = Registrado
day-no-show = No vino
day-arrived = Llegó
day-undo = Deshacer
day-own-way = Por su cuenta
day-own-arrangements = Se aloja por su cuenta
day-ride-with = Viaje con { $owner }: { $detail }
day-with = Con { $owner }: { $detail }
day-ride-with-only = Viaje con { $owner }
day-with-only = Con { $owner }
day-requested-from = Pedido a { $name }, sin confirmar
day-nothing-yet = Todavía nada
plan-detail-ride = sale el { $date } a las { $time } desde { $town }
plan-detail-ride-home = sale el { $date } a las { $time } hacia { $town }
day-err-cancelled = { $name } canceló este viaje, así que no hay nada que marcar.
day-err-paused = { $name } pausó este viaje, así que no hay nada que marcar.
day-err-nothing-to-undo = { $who } no tiene una marca de llegada o ausencia que deshacer.
day-flash-checked-in = { $who } quedó registrado.
day-flash-no-show = { $who } quedó marcado como ausente.
day-flash-undone = { $who } ya no está marcado como llegado ni como ausente.
pager-label = Páginas
pager-prev = ← Anterior
pager-next = Siguiente →
pager-page-of = Página { $page } de { $pages }

# The office's arrivals dashboard.
dash-title = { $office }: llegadas
dash-heading = Llegadas a { $office }
dash-back-arrivals = ← Llegadas a { $office }
dash-days = Días
dash-chart-heading = Voluntarios presentes
dash-chart-heading-needed = Voluntarios presentes frente a { $n } necesarios
dash-chart-title = Voluntarios presentes por día
dash-chart-title-target = Voluntarios presentes por día, meta { $n }
dash-chart-desc = Una barra por día: personas presentes; las mismas cifras están en la columna “Presentes” de la tabla día por día, más abajo.
dash-bar-on-hand = { $n } presentes
dash-totals = { $arriving } llegan en este período · { $arrived } registrados · { $noshow } no vinieron. Las llegadas, salidas y presentes cuentan personas, con los viajeros (grupos) entre paréntesis, como en la página de cada día.
dash-gaps-heading = Faltantes: llegan sin viaje de ida, cama o viaje de vuelta confirmados ({ $n })
dash-gaps-shown = { $shown } de { $total } faltantes en esta página, por fecha de llegada
dash-next-page = página siguiente
dash-offer-ride = Viaje:
dash-offer-bed = Cama:
dash-offer-ride-home = Viaje de vuelta:
dash-needs = necesita { $what }
dash-gap-bed = una cama
dash-gap-ride-requested = un viaje (pedido)
dash-gap-bed-requested = una cama (pedida)
dash-gap-ride-home-requested = un viaje de vuelta (pedido)
dash-err-no-reminder-cancelled = No se envió el recordatorio: { $name } canceló este viaje.
dash-err-no-reminder-paused = No se envió el recordatorio: { $name } pausó este viaje.
dash-flash-reminder-sent = Recordatorio enviado a { $name }.
pager-of-gaps = faltantes
pager-of-options = opciones
pager-of-rides = viajes
pager-of-stays = hospedajes
pager-range = { $first }–{ $last } de { $total }
pager-page = página { $page } de { $pages }
pager-prev-page = ← Página anterior
pager-next-page = Página siguiente →
pager-pages-of = Páginas de { $noun }
dash-arrivals = Llegadas
roster-title = { $office }: lista del { $day }
roster-printed = Impresa el { $at }.
roster-contact-note = Los datos de contacto son solo para el equipo de la oficina.
roster-print-hint = Usa el comando Imprimir de tu navegador; la navegación y los botones no salen en el papel.
roster-col-in = Llegó
roster-col-arrives = Cómo llega
roster-col-sleeps = Dónde duerme
roster-col-home = Cómo vuelve
roster-to-tick = para marcar
roster-arriving = llega
roster-day-trip = { $date } (en el día)
roster-asked = Pedido a { $name }, sin confirmar
feed-title = { $office }: calendario suscrito
feed-heading = Calendario suscrito de la oficina
feed-intro = Una app de calendario suscrita a este calendario muestra a cada viajero que se espera en { $office } como un evento de todo el día en su día de llegada (“Ana López (+1) llega”), con cómo viene y dónde duerme, desde dos semanas atrás hasta cuatro meses adelante. Se actualiza sola. No muestra teléfonos, emails ni direcciones: esos quedan en el panel.
feed-replaced = Esta es la nueva dirección. La anterior ya no funciona: actualiza cualquier calendario que la usaba.
feed-subscribe = Suscríbete a esta dirección en tu app de calendario (Google Calendar: “Otros calendarios → Desde URL”; Calendario de Apple: “Archivo → Nueva suscripción a calendario”; Outlook: “Agregar calendario → Suscribirse desde la web”).
feed-address = Dirección del calendario
feed-copy-now = Cópiala ahora: solo la mostramos esta vez.
feed-secret = Es secreta, como una contraseña: cualquiera que la tenga puede ver quién viene y cuándo. Si se filtra, crea una nueva aquí, lo que desactiva esta.
feed-made-on = Esta oficina tiene un calendario, creado el { $since }. Su dirección se mostró una sola vez, al crearlo.
feed-none = Esta oficina todavía no tiene calendario.
feed-make = Crear una dirección de calendario

# Proposed matches for the whole office.
propose-title = { $office }: emparejamientos propuestos
propose-heading = Emparejamientos propuestos, llegadas del { $from } al { $to }
propose-explain = La mejor opción para toda la oficina a la vez: la mayor cantidad de personas con todos sus tramos abiertos cubiertos, luego la mayor cantidad de necesidades cubiertas, luego la menor cantidad de km. No se envía nada hasta que presiones el botón.
propose-empty = Nada que proponer: ningún viaje ni cama abiertos sirven para un viaje que llegue en estos días.
propose-send-note = Cada dueño recibe el email de solicitud habitual, que dice que lo propuso la oficina; a cada viajero se le cuenta qué se pidió por él y puede retirarlo. Las ofertas inmediatas se confirman al instante.
propose-send = Enviar los seleccionados
propose-served = { $served } de { $n } { $n ->
    [one] persona
   *[other] personas
 } con todo cubierto
propose-partly = { $people } más { $people ->
    [one] recibe
   *[other] reciben
 } { $filled } pero { $open }
propose-no-ride = ningún viaje
propose-no-bed = ninguna cama
propose-no-ride-home = ningún viaje de vuelta
propose-nothing-fits = nada sirve para { $legs }
propose-bound = Se detuvo al llegar al límite de tiempo: ninguna propuesta puede atender a más de { $n }.
propose-offer-ride = Viaje con { $name } desde { $town }, sale el { $date }: desvío de { $distance }
propose-offer-beds = Camas con { $name } en { $town }: a { $distance } de la oficina
propose-offer-ride-home = Viaje de vuelta con { $name } hacia { $town }, sale el { $date }: desvío de { $distance }
proposed-title = { $office }: propuestas enviadas
proposed-back = ← Emparejamientos propuestos
proposed-heading = Propuestas enviadas para { $office }
proposed-sent = Enviadas ({ $n })
proposed-none = No se pudo enviar ninguna.
proposed-booking = reserva
proposed-skipped = Omitidas ({ $n })
proposed-skipped-note = Ya no sirven y no se enviaron; no se reservó nada para ellas.
proposed-trip-ride = Viaje { $trip } · oferta de viaje { $id }
proposed-trip-stay = Viaje { $trip } · hospedaje { $id }
proposed-accepted = aceptada al instante (oferta inmediata)
proposed-requested = solicitada; se le preguntó al dueño
proposed-not-found = no se encontró para esta oficina

# Why an offer fits a trip.
reason-ride = desvío de { $distance } · sale { $when }
reason-before-arrive = { $n ->
    [0] el día que llegas
    [1] el día antes de que llegues
   *[other] { $n } días antes de que llegues
}
reason-after-leave = { $n ->
    [0] el día que te vas
    [1] el día después de que te vas
   *[other] { $n } días después de que te vas
}
reason-stay = a { $distance } de la oficina · { $free }
reason-nights-free = { $n ->
    [one] la única noche libre
   *[other] las { $n } noches libres
}
office-stay-detail = { $beds } · a { $distance } de la oficina
office-ride-home-when = vuelta desde la oficina el { $date }

# The campaign figures for admins.
campaign-title = Campaña
campaign-as-of = Al { $today }. “Próximos 7 días” va de hoy al { $end }.
campaign-all-offices = Todas las oficinas
campaign-col-seats = Asientos ofrecidos
campaign-col-bed-nights = Noches de cama ofrecidas
campaign-col-trips = Viajes
campaign-col-matched = Con emparejamiento
campaign-col-accepted = Reservas aceptadas
campaign-col-arriving = Llegan, próximos 7 días
campaign-col-gaps = Faltantes, próximos 7 días
campaign-col-seats-home = Asientos de vuelta ofrecidos
campaign-col-served = Personas atendidas
campaign-col-proposals = Podrían atender las propuestas
campaign-of = { $n } de { $total }
campaign-more = { $n } más
campaign-counted = Qué se cuenta
campaign-note-seats = todos los asientos de viajes abiertos hacia la oficina que salen hoy o después (incluidos los ya reservados);
campaign-note-seats-home-label = asientos de vuelta ofrecidos
campaign-note-seats-home = lo mismo para los viajes de vuelta desde la oficina.
campaign-note-beds = camas × noches desde hoy de los hospedajes abiertos, sin las noches bloqueadas (incluidas las camas ya reservadas). Los hospedajes no pertenecen a ninguna oficina, así que cada uno cuenta para la oficina más cercana a menos de { $radius }, el radio habitual para dormir
campaign-note-beds-elsewhere = ; { $n } noches de cama se ofrecen más lejos de todas las oficinas y no están en ninguna fila
campaign-note-trips = viajes abiertos que llegan hoy o después.
campaign-note-matched = de esos viajes que necesitan un viaje (de ida o de vuelta) o una cama, la proporción que ya tiene una reserva aceptada o al menos una oferta abierta que sirve según las reglas de emparejamiento en este momento. Los viajes reservados cuentan como emparejados porque un auto o una casa llenos ya no “sirven” para el mismo viaje que ocuparon.
campaign-note-accepted = viajes y hospedajes aceptados de esos viajes.
campaign-arriving-label = Llegan
campaign-note-arriving = personas (contando el tamaño de cada grupo) que llegan en los próximos 7 días;
campaign-gaps-label = faltantes
campaign-note-gaps = esos viajes que todavía no tienen confirmado el viaje (de ida o de vuelta) o la cama que necesitan.
campaign-note-served = personas (contando el tamaño de cada grupo) de los viajes abiertos próximos con cada viaje y cama que necesitan confirmados.
campaign-note-proposals-a = las personas adicionales que la propuesta de la oficina (
campaign-note-proposals-b = en su panel: llegadas de hoy y los próximos 14 días, solo tramos abiertos, lugar que queda después de las solicitudes) atendería por completo si su equipo la enviara; el cálculo de cada oficina se detiene después de medio segundo con lo mejor que encontró.

# Pages an emailed link opens.
link-problem-title = Este enlace no funciona
link-nothing-changed = No se cambió nada.
link-confirm-text = Confirma que { $email } es tu dirección de email.
link-use-email-text = Usa { $email } para tu cuenta de Trip Planner desde ahora, para iniciar sesión y recibir nuestros correos.
link-email-taken = Otra cuenta ya usa { $email }, así que tu dirección no cambió.
password-reset-intro = Elige una contraseña nueva para { $email }.
password-claim-intro = Tu cuenta para { $email } está lista. Elige una contraseña para iniciar sesión y ver tus planes.
alerts-off-title = Avisos desactivados
alerts-off-mind = ¿Cambiaste de idea? Vuelve a activarlos desde la página de tu viaje o la de tu cuenta.
alerts-stop-trip = Dejar de recibir los correos sobre nuevos viajes y camas para { $about }.
alerts-stop-offer = Dejar de recibir los correos sobre nuevos viajes que encajen con { $about }.
alerts-off-text = Ya no recibirás avisos sobre { $about }.
alerts-about-trip = tu viaje a { $office } ({ $dates })
alerts-about-no-trip = un viaje que ya no existe
alerts-about-ride = tu viaje del { $date }
alerts-about-no-ride = un viaje ofrecido que ya no existe
feed-created-title = Tu calendario suscrito
feed-created-replaced = Esta es la nueva dirección de tu calendario. La anterior ya no funciona: actualiza cualquier calendario que la usaba.
feed-created-subscribe = Suscríbete a esta dirección en tu app de calendario (en Google Calendar: “Otros calendarios → Desde URL”; en Calendario de Apple: “Archivo → Nueva suscripción a calendario”; en Outlook: “Agregar calendario → Suscribirse desde la web”). Tus viajes y noches confirmados aparecerán ahí y se mantendrán al día.
feed-created-secret = Es secreta, como una contraseña: cualquiera que la tenga puede ver adónde y cuándo viajas. Si se filtra, crea una nueva en
feed-created-secret-end = , lo que desactiva esta.
feed-created-back = Volver a Mis viajes
confirm-accept-title = Aceptar solicitud
confirm-decline-title = Rechazar solicitud
confirm-link-problem = Este enlace no funciona
confirm-nothing-changed = Este enlace no cambió nada.
confirm-see-booking = Ver esta reserva
confirm-see-offers = Ver tus ofertas y solicitudes
confirm-accept-q = ¿Aceptar esta solicitud?
confirm-decline-q = ¿Rechazar esta solicitud?
confirm-asks-for = { $traveller } pide { $what }.
confirm-yes-accept = Sí, aceptar
confirm-yes-decline = Sí, rechazar
booking-what-ride = { $seats } en el viaje de { $name } a { $office } el { $date }
booking-what-ride-home = { $seats } en el viaje de vuelta de { $name } desde { $office } el { $date }
booking-what-stay = { $beds } en casa de { $name } en { $town } para { $nights }
booking-seats = { $n ->
    [one] un asiento
   *[other] { $n } asientos
}
booking-beds = { $n ->
    [one] una cama
   *[other] { $n } camas
}
booking-night-of = la noche del { $date }
booking-nights-of = las noches del { $from } al { $to }
booking-nights-asked = las noches que pediste
booking-leaves-at = Sale el { $date } a las { $time } desde { $town }
booking-for-nights = Para { $nights }
booking-your-ride-to = tu viaje a { $office } el { $date }
booking-your-beds-in = tus camas en { $town } para { $nights }
booking-in-days = { $n ->
    [one] en { $n } día
   *[other] en { $n } días
}
booking-in-hours = { $n ->
    [one] en { $n } hora
   *[other] en { $n } horas
}
booking-in-minutes = { $n ->
    [one] en { $n } minuto
   *[other] en { $n } minutos
}
booking-now = ahora
booking-soon = pronto
booking-flash-booked = Reservado: { $what }. Sus datos de contacto están abajo.
booking-flash-sent = Solicitud enviada a { $name }. Te enviaremos la respuesta por email.

# El calendario de la oficina (lo leen las apps de calendario; `?lang=es` en su dirección)
feed-calendar-name = { $office }: llegadas
feed-arrives = Llega { $name }
feed-arrives-party = Llega { $name } (+{ $more })
feed-one-person = 1 persona
feed-party-of = grupo de { $n }
feed-day-trip = visita de un día
feed-leaves = se va el { $date }
feed-from-arrives-sleeps = Desde { $town }, { $party }, { $stay }. Llega: { $arrives }. Duerme: { $sleeps }.
feed-goes-home = Vuelve: { $how }.
feed-details = Detalles: { $url }
feed-own-way = por su cuenta
feed-own-arrangements = se organiza por su cuenta
feed-confirmed-with = con { $name } (confirmado)
feed-asked = pedido a { $name }, sin confirmar
feed-no-ride = todavía sin viaje
feed-no-bed = todavía sin cama

skip-to-content = Saltar al contenido
