# Emails: asuntos, textos, botones.
email-greeting = Hola, { $name }:
email-or-open = O abre este enlace:
email-subject-confirm = Confirma tu dirección de email
email-verify-text = Gracias por unirte a Trip Planner. Confirma que esta es tu dirección de email: así podrás ofrecer y pedir viajes y camas.
email-verify-lasts = El enlace sirve por 7 días. Si no te registraste, ignora este email y no pasará nada.
email-verify-button = Confirmar mi dirección de email
email-subject-reset = Restablece tu contraseña de Trip Planner
email-reset-text = Alguien, ojalá tú, pidió restablecer la contraseña de la cuenta de Trip Planner con esta dirección.
email-reset-lasts = El enlace sirve una sola vez, durante una hora. Si no lo pediste, ignora este email: tu contraseña sigue igual.
email-choose-new-password = Elegir una contraseña nueva
email-subject-claim = Tu cuenta de Trip Planner está lista
email-claim-text = Una oficina de campaña te agregó a Trip Planner, donde los voluntarios comparten viajes y camas camino a las oficinas de campaña. Tus viajes, hospedajes y traslados ya están ahí.
email-claim-choose = Elige una contraseña para verlos y mantenerlos al día.
email-claim-lasts = El enlace sirve por 14 días. Si no quieres una cuenta, ignora este email.
email-choose-my-password = Elegir mi contraseña
email-subject-change = Confirma tu nueva dirección de email
email-change-text = Pediste usar esta dirección para tu cuenta de Trip Planner. Confírmala y desde ahora te escribiremos aquí.
email-change-lasts = El enlace sirve por 24 horas. Si no lo pediste, ignora este email: nada cambia.
email-use-address = Usar esta dirección
email-changed-warning = Si no hiciste este cambio, comunícate de inmediato con tu oficina de campaña.
email-subject-changed = Se cambió tu dirección de email de Trip Planner
email-in-use-text = Alguien con sesión en otra cuenta de Trip Planner pidió usar esta dirección para esa cuenta. Ya pertenece a tu cuenta, así que no cambió nada.
email-in-use-if-you = Si fuiste tú, inicia sesión con esta dirección. Si no sabes tu contraseña, elige una nueva con “¿Olvidaste tu contraseña?” en la página de inicio de sesión.
email-not-you = Si no fuiste tú, puedes ignorar este email: tu cuenta sigue como estaba.
email-subject-in-use = Alguien intentó usar tu dirección
email-signup-attempt-text = Alguien, quizá tú, intentó registrarse en Trip Planner con esta dirección. Ya pertenece a tu cuenta, así que no se creó una cuenta nueva.
email-reset-lasts-short = El enlace sirve una sola vez, durante una hora.
email-claim-made = Una oficina de campaña creó esta cuenta para ti. Elige una contraseña con el botón de abajo para usarla.
email-link-once = El enlace sirve una sola vez.
email-subject-signup-attempt = Alguien intentó registrarse con tu dirección
email-answer-within = Responde en un plazo de 3 días; después la solicitud vence.
email-see-trip = Ver tu viaje
email-see-booking = Ver la reserva
email-other-offers = Puede que otras ofertas te sirvan; échales un vistazo.
email-see-what-fits = Ver lo que te sirve
email-open = Abrir Trip Planner
email-expires-tomorrow = La solicitud vence mañana si nadie responde.
email-answer-request = Responder la solicitud
email-nothing-else = Por ahora no hay nada más que te sirva; aparecen ofertas nuevas todos los días.
email-these-fit = Estas también te sirven:
email-see-details = Ver los detalles
email-nudge-text = A tu viaje todavía le falta un viaje o una cama confirmados, y hay ofertas que le sirven. Échales un vistazo y envía una solicitud.
email-see-offer = Ver tu oferta
email-hello = Hola:
ics-ride = Viaje a { $office } con { $name }{ $party }
ics-ride-home = Vuelta desde { $office } con { $name }{ $party }
ics-staying = Hospedaje en casa de { $name }
ics-hosting = Hospedas a { $name }{ $party }
ics-description = Confirmado en Trip Planner: { $what }. Detalles y contactos: { $url }
# Emails de reservas.
email-hello-name = Hola, { $name }:
email-request-proposed = El equipo de { $office } te propone a { $traveller }, de { $town }, para { $what }: tu oferta le sirve a su viaje, y la pidieron en nombre de { $traveller }.
email-request-asks = { $traveller }, de { $town }, pide { $what }.
email-their-message = Su mensaje: “{ $message }”
email-subject-request = { $traveller } pide { $what }
email-accept = Aceptar
email-decline-link = Rechazar: { $url }
email-subject-asked-for-you = { $office } pidió { $what } para ti
email-asked-for-you = El equipo de { $office } le pidió a { $owner } { $what } para tu viaje. Te avisaremos en cuanto { $owner } responda.
email-withdraw-if = Si ya no lo necesitas o hiciste otros planes, retira la solicitud: nada más cambia.
email-withdraw-button = Retirar esta solicitud
email-phone = Teléfono: { $phone }
email-address = Dirección: { $street }, { $town }
email-accepted = { $owner } aceptó tu solicitud: { $what }.
email-subject-confirmed = Confirmado: { $what }
email-confirmed-guest = Tienes una reserva confirmada con { $traveller } ({ $what }).
email-subject-booked = Reserva confirmada con { $traveller }: { $what }
email-subject-declined = Esta vez no: { $what }
email-declined = { $owner } no puede aceptar tu solicitud de { $what }.
email-subject-withdrawn = Se retiró la solicitud de { $traveller }
email-subject-withdrew = { $traveller } retiró una solicitud
email-no-longer-needs = { $traveller } ya no necesita { $what }. No tienes que hacer nada más.
email-no-longer-needs-why = { $traveller } ya no necesita { $what }: { $reason } para el viaje. No tienes que hacer nada más.
email-reason-superseded = se confirmó otra opción
email-cancelled = { $who } canceló { $what }.
email-reason = Motivo: { $reason }
email-no-reason = no se indicó
email-subject-cancelled = Cancelado: { $what }
email-subject-reminder = Recordatorio: { $traveller } espera tu respuesta
email-asked-two-days = Hace dos días { $traveller } pidió { $what }.
email-nothing-else-alerts = Por ahora no hay nada más que te sirva. Aparecen ofertas nuevas todos los días; mientras las alertas de tu viaje estén activas, te escribimos cuando una te sirva.
email-expired = Tu solicitud de { $what } no recibió respuesta a tiempo, así que venció.
email-subject-expired = Vencida: { $what }
email-tomorrow = Mañana: { $what }.
email-subject-tomorrow = Mañana: { $what }
# Alertas.
email-alert-trip-news = { $n ->
    [one] Hay algo nuevo para tu viaje a { $office } ({ $dates }):
   *[other] Hay { $n } opciones nuevas para tu viaje a { $office } ({ $dates }):
}
email-alert-more-trip-page = …y { $n } más en la página de tu viaje.
email-alert-subject-trip = Novedades para tu viaje a { $office }
email-alert-trip-once-a-day = Escribimos como máximo una vez al día, mientras algo que necesitas no esté confirmado.
email-alert-stop-trip = No más alertas para este viaje: { $url }
email-alert-offer-line = { $name }, de { $town }, { $when }, grupo de { $n }: { $reason }
email-alert-arrives = llega el { $date }
email-alert-leaves = sale el { $date }
email-alert-your-ride = tu viaje a { $office } el { $date }
email-alert-your-ride-home = tu viaje de vuelta desde { $office } el { $date }
email-alert-your-beds = tus camas en { $town }
email-alert-offer-news = { $n ->
    [one] Hay un viaje nuevo que encaja con { $about }:
   *[other] Hay { $n } viajes nuevos que encajan con { $about }:
}
email-alert-more-its-page = …y { $n } más en su página.
email-alert-offer-how = Los viajeros ven tu oferta entre sus opciones y te la piden desde Trip Planner.
email-alert-subject-offer = Viajes nuevos para { $about }
email-alert-offer-once-a-day = Escribimos como máximo una vez al día, porque pediste estos emails.
email-alert-stop-offer = No más alertas para esta oferta: { $url }
# El resumen diario de la oficina.
email-digest-nobody = Mañana, { $day }, no se espera a nadie en { $office }.
email-digest-travellers = { $n ->
    [one] { $n } viajero
   *[other] { $n } viajeros
}
email-digest-people = { $n ->
    [one] { $n } persona
   *[other] { $n } personas
}
email-digest-arriving = { $n ->
    [one] Mañana, { $day }, llega { $travellers } ({ $people }) a { $office }:
   *[other] Mañana, { $day }, llegan { $travellers } ({ $people }) a { $office }:
}
email-digest-arrival = • { $party }, de { $town }: { $ride }; { $bed }.
email-digest-comes-on-own = llega por su cuenta
email-digest-ride-confirmed = viaje confirmado con { $name }
email-digest-ride-requested = viaje pedido a { $name }
email-digest-no-ride = todavía sin viaje
email-digest-own-bed = tiene dónde dormir
email-digest-bed-confirmed = cama confirmada con { $name }
email-digest-bed-requested = cama pedida a { $name }
email-digest-no-bed = todavía sin cama
email-digest-ride-home-requested = viaje de vuelta pedido a { $name }
email-digest-no-ride-home = todavía sin viaje de vuelta
email-digest-no-gaps = Nada falta: todos los que llegan la próxima semana tienen los viajes y camas que necesitan, también el viaje de vuelta.
email-digest-gaps = { $n ->
    [one] Faltantes: a { $n } persona que llega en los próximos { $days } días todavía le falta un viaje, una cama o un viaje de vuelta:
   *[other] Faltantes: a { $n } personas que llegan en los próximos { $days } días todavía les falta un viaje, una cama o un viaje de vuelta:
}
email-digest-gap = • { $party }, llega el { $date }: { $missing }.
email-digest-more = …y { $n } más en el panel.
email-digest-subject-gaps = { $office }: { $g } con faltantes esta semana
email-digest-subject-arriving = { $office }: { $n } por llegar mañana
email-digest-subject-both = { $office }: { $n } por llegar mañana, { $g } con faltantes
email-digest-open = Abrir el panel
email-digest-why = Recibes esto todas las tardes como parte del equipo de { $office }.
# Los recordatorios de la oficina.
email-nudge-subject-traveller = { $office }: viajes y camas para tu viaje
email-nudge-looking-forward = El equipo de { $office } espera verte el { $date }.
email-nudge-seat = un asiento en tu auto
email-nudge-seat-home = un asiento de vuelta en tu auto
email-nudge-bed = una cama
email-nudge-subject-owner = { $office } necesita { $what }
email-nudge-owner-arrives = { $name }, de { $town }, llega a { $office } el { $date } y todavía necesita { $what }. Tu oferta le sirve a su viaje; puede pedírtela desde Trip Planner, y la oficina te lo agradecería.
email-nudge-owner-leaves = { $name }, de { $town }, sale de { $office } el { $date } y todavía necesita { $what }. Tu oferta le sirve a su viaje; puede pedírtela desde Trip Planner, y la oficina te lo agradecería.
# Emails de la cuenta con un enlace o una dirección en el texto.
email-changed-text = La dirección de email de tu cuenta de Trip Planner ahora es { $email }. Desde ahora te escribiremos a esa dirección.
email-forgot-link = ¿Olvidaste tu contraseña? { $url }
email-signup-if-you = Si fuiste tú, inicia sesión en { $url } con esta dirección, o elige una contraseña nueva con el botón de abajo.
email-if-not-you-ignore = Si no fuiste tú, ignora este email: tu cuenta sigue como estaba.
