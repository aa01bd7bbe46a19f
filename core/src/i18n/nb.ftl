# Visitnotes nettapp, norsk bokmål. Hver melding her har sin tvilling i
# en.ftl (en enhetstest sjekker).

app-name = Visitnotes
skip-to-content = Gå til innholdet
nav-label = Hovedmeny
nav-home = Start
nav-new-note = Skriv et nytt notat
nav-notes = Alle notater
nav-report = Rapport
sync-button = Synkroniser nå
lock-button = Lås
quit-button = Avslutt
footer-local = Denne siden kommer fra Visitnotes på denne datamaskinen. Notatene krypteres her før de forlater den.
and = og
none = Ingen
no-unit = ingen avdeling

## Avvisninger
refused-title = Ikke tillatt
refused-host = Denne adressen er ikke den Visitnotes lytter på. Åpne Visitnotes igjen fra programmenyen på datamaskinen: da åpnes nettleseren på riktig adresse.
refused-method = Denne typen forespørsel godtas ikke her.
refused-no-session = Denne nettleseren er ikke sluppet inn, eller en annen nettleser har tatt over siden. Åpne Visitnotes igjen fra programmenyen på datamaskinen: da åpnes nettleseren på en ny adresse, som virker én gang.
refused-origin = Denne forespørselen kom ikke fra en side i denne appen, så den ble avvist. Ingenting ble endret.
refused-csrf = Dette skjemaet er utdatert eller kom ikke fra denne siden. Ingenting ble endret: gå tilbake, last siden på nytt og send igjen.
not-found-title = Fant ikke siden
not-found-text = Det finnes ingen slik side her: adressen kan være skrevet feil, eller siden er fjernet. Lenkene øverst, og startsiden nedenfor, fører videre.

## Avslutt
quit-title = Stoppe Visitnotes på denne datamaskinen?
quit-explain = Alle faner med Visitnotes slutter å virke, og nøklene fjernes fra minnet. Notatene dine blir liggende kryptert på denne datamaskinen.
quit-drafts = Et notatskjema som er åpent i en annen fane, tar vare på det som er skrevet som et utkast noen sekunder etter at du slutter å skrive, så lenge Visitnotes er låst opp; alt annet som er skrevet i andre faner og ikke sendt, går tapt.
quit-confirm = Stopp Visitnotes
quit-keep = La det være åpent
quit-stopped-title = Visitnotes er stoppet
quit-stopped-text = Visitnotes er stoppet på denne datamaskinen; du kan lukke denne fanen. For å fortsette, åpne Visitnotes igjen fra programmenyen på datamaskinen.
error-title = Noe gikk galt

## Opplåsing
unlock-title = Lås opp Visitnotes
unlock-passphrase = Passordfrase
unlock-button = Lås opp
unlock-wrong = Feil passordfrase: ingenting ble endret. Prøv igjen.
unlock-resume = Visitnotes låste seg selv mens du var borte, før notatet ble lagret. Det du skrev, ligger i denne siden: lås opp, så kommer skjemaet tilbake med det.
unlock-resume-follow-up = Visitnotes låste seg selv mens du var borte, før oppfølgingen ble registrert. Det du skrev, ligger i denne siden: lås opp, så kommer oppfølgingsskjemaet tilbake med det.
unlock-follow-up-back = Oppfølgingen din er tilbake i skjemaet under, ikke registrert ennå: sjekk den og registrer den.
unlock-idle-hint = Nøklene ligger i programmets minne så lenge det er låst opp. Det låser seg selv etter { $minutes ->
    [one] ett minutt
   *[other] { $minutes } minutter
} uten bruk, og når du trykker Lås.
locked-flash = Låst: nøklene er fjernet fra minnet. Skriv passordfrasen for å fortsette.
locked-idle-flash = Visitnotes låste seg selv etter en stund uten bruk og skjulte siden: nøklene er fjernet fra minnet. Skriv passordfrasen for å fortsette.
low-disk = Disken på denne datamaskinen er nesten full (bare { $mb } MB ledig): et notat som ikke kan lagres, blir avvist. Frigjør plass før du skriver; det som allerede er lagret, er trygt.

## Start
home-title = Hei, { $name }
home-not-approved = Denne enheten er ikke godkjent ennå. Be en administrator godkjenne den, og trykk så Synkroniser nå.
home-notes-written = Notater du har skrevet
home-outbox = Venter på å bli sendt
home-last-sync = Sist synkronisert
home-never-synced = aldri
home-outbox-hint = { $n ->
    [one] Én endring ligger på denne datamaskinen til du trykker Synkroniser nå.
   *[other] { $n } endringer ligger på denne datamaskinen til du trykker Synkroniser nå.
}
home-not-uploaded = Serveren ville ikke lagre et av notatene dine: { $reason }. Det er tatt vare på her.
home-all-notes = { $n ->
    [one] Les det ene notatet på denne enheten
   *[other] Les alle { $n } notatene på denne enheten
}
home-your-notes = Dine notater
note-back-to-all = ← Alle notater
note-back-to-yours = ← Dine notater
col-date = Besøksdato
col-units = Avdelinger
col-concern = Alvorligste bekymring
col-author = Skrevet av
col-state = Status
state-outbox = ikke sendt ennå
state-synced = synkronisert
state-refused = ikke lagret av serveren: { $reason }
state-held = holdt tilbake: medlemslisten er utløpt
state-kept = sendt under en utløpt medlemsliste
alerts-heading = { $n ->
    [one] Ett varsel trenger oppmerksomhet
   *[other] { $n } varsler trenger oppmerksomhet
}
alerts-see-note = Se notatet
alerts-most-serious = Det mest alvorlige:
alerts-details = Se alle varslene, og hva du skal gjøre
alerts-title = Varsler
alerts-intro = Hvert varsel blir stående til årsaken er rettet: ingen kan avvise et varsel.
alerts-unreadable-heading = Varslene kunne ikke leses
alerts-unreadable = Visitnotes kunne ikke lese varslene på denne datamaskinen ({ $error }), så den kan ikke si at ingenting ser galt ut. Lås, lås opp igjen og last inn siden på nytt; hvis det ikke går over, si fra til koordinatoren din før du stoler på det du ser.
alerts-none = Ingen varsler: ingenting på denne datamaskinen ser galt ut.
alerts-since = Først sett: { $when }.
alerts-todo = Hva du skal gjøre

## Varsler i ord (`ops::alerts`: nettsidene; `visitnotes alerts` bruker den engelske katalogen)
alert-note-read = notatet fra besøket { $date } på { $units } (notat { $id })
alert-note-unread = et notat denne enheten ikke har lest (notat { $id })
alert-no-unit = ingen avdeling
alert-someone = en som ikke står på medlemslisten ({ $id })
alert-unknown-device = en enhet som ikke står på medlemslisten ({ $id })
alert-device-of = enheten til { $name }
alert-device-of-numbered = enheten { $id } til { $name }
alert-unknown-time = et ukjent tidspunkt
alert-no-reason = ingen grunn registrert
alert-rejected-follow-up = En oppfølging signert som { $person } (oppføring { $record }, versjon { $revision }) besto ikke kontrollen og vises eller telles ikke: { $reason }.
alert-rejected-follow-up-about = En oppfølging signert som { $person } om et notat av { $about } (oppføring { $record }, versjon { $revision }) besto ikke kontrollen og vises eller telles ikke: { $reason }.
alert-rejected-follow-up-todo = Si fra til administratoren: serveren kan ha endret eller forfalsket den, eller noen som ikke er koordinator har laget den. Når serveren er rettet, kontrollerer en synkronisering fra starten den på nytt, og dette varselet forsvinner.
alert-rejected-note = { $note } av { $person } (versjon { $revision }) besto ikke kontrollen og vises eller telles ikke: { $reason }.
alert-rejected-note-todo = Si fra til administratoren: serveren kan ha endret eller forfalsket det. Når serveren er rettet, kontrollerer en synkronisering fra starten det på nytt, og dette varselet forsvinner.
alert-gap = { $n } { $n ->
    [one] notat
   *[other] notater
} av { $person } mangler på denne enheten (nummer { $numbers }).
alert-gap-todo = De er kanskje ikke synkronisert ennå: be { $person } åpne Visitnotes og trykke Synkroniser nå, og synkroniser så her. Hvis de fortsatt mangler, kan serveren holde dem tilbake: si fra til administratoren.
alert-roster-expired = Den nyeste medlemslisten denne enheten kunne hente (versjon { $version }, signert { $signed }) gikk ut { $expires }{ $held ->
    [0] {""}
    [one] ; 1 notat skrevet siden er lagret her, forseglet, og ikke lastet opp
   *[other] ; { $held } notater skrevet siden er lagret her, forseglet, og ikke lastet opp
}.
alert-roster-expired-todo-admin = Synkroniser: på denne enheten signerer det en ny liste. Hvis varselet blir stående, leverer ikke serveren listen du signerte: si fra til den som drifter serveren.
alert-roster-expired-todo = Serveren kan holde tilbake en nyere liste (en som fjerner en leser, for eksempel). Be en administrator åpne Visitnotes og trykke Synkroniser nå, som signerer en ny liste, og synkroniser så her: notater som er holdt tilbake, forsegles da på nytt for lesere på den nye listen og sendes. Du kan også sende dem som de er, til leserne på den utløpte listen (en advarsel lagres med hvert av dem). Varselet forsvinner når en ny liste kommer.
alert-roster = Medlemslisten fra serveren ble avvist: { $detail }.
alert-roster-todo = Ingenting lastes opp før den består kontrollen: si fra til administratoren. Varselet forsvinner ved første synkronisering som henter en liste som består kontrollen.
alert-changed-copy = Serveren leverte en annen kopi av { $note }: { $detail }. Kopien som ble kontrollert før, beholdes.
alert-changed-copy-by = Serveren leverte en annen kopi av { $note } av { $person }: { $detail }. Kopien som ble kontrollert før, beholdes.
alert-changed-copy-todo = Si fra til administratoren: noen kan ha manipulert serveren. Varselet forsvinner når en synkronisering fra starten får den riktige kopien igjen.
alert-rewrap = { $note } kunne ikke krypteres på nytt: { $detail }. Serverens kopi kan fortsatt åpnes av leserne den hadde.
alert-rewrap-by = { $note } av { $person } kunne ikke krypteres på nytt: { $detail }. Serverens kopi kan fortsatt åpnes av leserne den hadde.
alert-rewrap-todo = Si fra til en koordinator; varselet forsvinner når en omkryptering (på en koordinators side for omkryptering) krypterer det på nytt.
alert-restore = Serveren ser ut til å være gjenopprettet fra en eldre sikkerhetskopi: { $detail }. Denne enheten beholder alle notatene den har, og er ikke ferdig med å hente alt på nytt.
alert-restore-todo = Synkroniser; varselet forsvinner når synkroniseringen har hentet helt til slutten. Si fra til administratoren: notater skrevet etter sikkerhetskopien kommer tilbake når skribentenes enheter synkroniserer.
alert-roster-behind = Serveren leverer en eldre medlemsliste enn den denne enheten har ({ $detail }): den ser ut til å være gjenopprettet fra en eldre sikkerhetskopi. Den eldre listen brukes ikke.
alert-roster-behind-todo = Be en administrator åpne Visitnotes og trykke Synkroniser nå, som publiserer den gjeldende listen på nytt. Inntil da venter notater skrevet her på denne enheten; varselet forsvinner når serveren har den gjeldende listen.
alert-audit = Serverens revisjonslogg stemmer ikke med det som ble signert: { $detail }.
alert-audit-todo = Noen med tilgang til serverens database har fjernet eller endret oppføringer i revisjonsloggen. Si fra til den som drifter serveren, og ta vare på denne enheten: kontrollpunktet den signerte, er beviset. Varselet forsvinner når en kontroll av revisjonsloggen (en administrators side for revisjonsloggen) finner den hel igjen.
alert-forged-head = Serveren leverte en erklæring i navnet til enheten til { $person } som ikke består kontrollen: { $detail }.
alert-forged-head-todo = Si fra til administratoren: noen kan ha manipulert serveren. Varselet forsvinner når serveren leverer enhetens egen erklæring igjen.
alert-forged-receipt = Serveren leverte en mottakskvittering i navnet til { $person } som ble avvist: { $detail }.
alert-forged-receipt-todo = Den telles ikke. Si fra til administratoren: noen kan ha manipulert serveren. Varselet forsvinner når serveren leverer koordinatorens egen kvittering igjen.
alert-enrolment = En enhet som venter på godkjenning, sendte nøkler som ikke stemmer med invitasjonen: { $detail }.
alert-enrolment-todo = Ikke godkjenn den: nøklene ble endret underveis. Send personen en ny invitasjon; varselet forsvinner når registreringen ikke lenger venter.
alert-org-key-grant = Serveren ga denne enheten en organisasjonsnøkkel som ikke tilhører denne organisasjonen: { $detail }.
alert-org-key-grant-todo = Den ble ikke beholdt. Si fra til en annen administrator; serveren eller den som drifter den, kan drive manipulasjon. Varselet forsvinner når denne enheten har organisasjonsnøkkelen (en tildeling som består kontrollen, eller nøkkelen importert eller gjenopprettet).
alert-other = { $detail }.
alert-other-todo = Si fra til administratoren.

## Hvorfor listen, erklæringen, kvitteringen, registreringen, omkrypteringen
## eller nøkkelen i et lagret varsel ble avvist: varslenes `{ $detail }`.
alert-detail-roster-bad-signature = signaturen består ikke kontrollen: den er ikke signert med organisasjonsnøkkelen
alert-detail-roster-wrong-key = den er signert med nøkkelen { $found }, ikke med organisasjonens nøkkel { $pinned }
alert-detail-roster-rollback = den gikk bakover: versjon { $got } er eldre enn versjon { $seen }, som alt er sett
alert-detail-roster-malformed = den kan ikke leses som en medlemsliste
alert-detail-roster-two-versions = serveren leverte to ulike lister som versjon { $version }
alert-detail-roster-served-older = denne enheten har versjon { $held }; serveren svarte at den tok imot den, men leverer fortsatt versjon { $served }
alert-detail-head-unknown-device = den oppgir enheten { $device }, som ikke står på medlemslisten
alert-detail-head-bad-signature = signaturen består ikke kontrollen: den er endret eller forfalsket
alert-detail-head-malformed = den kan ikke leses som en erklæring fra en enhet
alert-detail-receipt-unknown-device = den oppgir enheten { $device }, som ikke står på medlemslisten
alert-detail-receipt-not-coordinator = den er signert av enheten { $device }, som ikke tilhører en koordinator
alert-detail-receipt-bad-signature = signaturen består ikke kontrollen: den er endret eller forfalsket
alert-detail-receipt-malformed = den kan ikke leses som en kvittering
alert-detail-receipt-other-note = den oppgir som notat nummer { $seq } et notat denne enheten ikke skrev under det nummeret
alert-detail-enrolment-code = registreringskoden stemmer ikke med invitasjonen
alert-detail-rewrap-unopened = det består ikke kontrollen eller kan ikke åpnes her: { $reason }
alert-detail-rewrap-tombstone = et slettet notat har ingenting å kryptere på nytt
alert-detail-rewrap-not-allowed = bare enheten til en aktiv koordinator kan kryptere notater på nytt
alert-detail-rewrap-encrypt = krypteringen av nøkkelen på nytt mislyktes
alert-detail-grant-not-a-key = gitt av { $from }, kan den ikke åpnes med denne enhetens nøkkel som en organisasjonsnøkkel
alert-detail-grant-other-key = gitt av { $from }, er den nøkkelen med fingeravtrykk { $found }, ikke denne organisasjonens ({ $expected })
alert-missing-notes = { $who } sier at den hadde sendt notater til og med nummer { $last } innen { $signed }, men denne enheten har { $held ->
    [0] ingen av dem
   *[other] bare til og med nummer { $held }
}: { $missing } { $missing ->
    [one] notat mangler
   *[other] notater mangler
}.
alert-missing-notes-todo = En synkronisering fra starten ber serveren om alle notatene på nytt. Hvis de fortsatt mangler, holder serveren dem tilbake: si fra til administratoren.
alert-forked-device = { $who } signerte sitt notat nummer { $last } som et annet notat enn det denne enheten har under det nummeret: to historier ble signert med nøkkelen.
alert-forked-device-todo = Si fra til administratoren: en kopi av enhetens nøkler kan være på andre hender, og en administrator må kanskje trekke tilbake enheten.
alert-forked-device-todo-named = Si fra til en administrator ({ $admins }): en kopi av enhetens nøkler kan være på andre hender, og en administrator må kanskje trekke tilbake enheten.
alert-silent-device = { $who } ble sist hørt fra { $signed }.
alert-silent-device-watching = { $who } er ikke hørt fra siden denne enheten begynte å følge med på den { $first }.
alert-silent-device-todo = Spør { $person } om de har synkronisert siden. Hvis de har det, kan serveren holde tilbake notatene deres: si fra til administratoren.
alert-roster-withheld = { $who } har sett versjon { $seen } av medlemslisten, men serveren gir denne enheten bare versjon { $served }: den kan holde tilbake en endring, for eksempel en tilbaketrukket enhet.
alert-roster-withheld-todo = Si fra til administratoren. Inntil dette er over, kan notater fra en enhet som den nyere listen trakk tilbake, vises her som gyldige; varselet forsvinner ved første synkronisering som henter den nyere listen.
alert-purged-current = Serveren leverte den gjeldende versjonen (versjon { $revision }) av { $note } av { $person } uten innhold, som om den var slettet; den gjeldende versjonen av et notat som ikke er slettet, blir aldri fjernet.
alert-purged-current-older = Serveren leverte den gjeldende versjonen (versjon { $revision }) av { $note } av { $person } uten innhold, som om den var slettet; den gjeldende versjonen av et notat som ikke er slettet, blir aldri fjernet. Versjon { $older } vises ikke i stedet.
alert-purged-current-todo = Si fra til administratoren: serveren kan skjule den nyeste versjonen av notatet. Varselet forsvinner når en synkronisering fra starten får innholdet.
alert-early-purge = Versjon { $revision } av { $note } av { $person } ble fjernet mindre enn { $days } dager etter at versjon { $next } erstattet den ({ $replaced }): eldre versjoner skal beholdes så lenge.
alert-early-purge-todo = Den gjeldende versjonen er ikke berørt. Spør administratoren om serverens lagringstid er forkortet (lesere må da sette { $env } til det samme); hvis ikke, kaster serveren historikk for tidlig.
alert-no-receipt = Ingen koordinator har bekreftet at de har mottatt { $note }{ $urgent ->
    [yes] , som har en akutt bekymring,
   *[no] {""}
} sendt { $sent } (versjon { $revision }).
alert-no-receipt-todo = Be en koordinator åpne Visitnotes og trykke Synkroniser nå. Hvis de har gjort det og varselet blir stående, kan serveren holde notatet ditt tilbake fra dem: si fra til administratoren{ $urgent ->
    [yes] , og gi beskjed om den akutte bekymringen på en annen måte nå
   *[no] {""}
}.
error-unreachable = Får ikke kontakt med serveren på { $url }. Sjekk nettverket; ingenting gikk tapt, prøv igjen senere.
error-interrupted = Forbindelsen til serveren på { $url } ble brutt. Sjekk nettverket; ingenting gikk tapt, prøv igjen senere.
error-server-full = Serverens disk er full: notatene dine blir liggende i utboksen på denne enheten. Si fra til den som driver serveren, og synkroniser igjen når det er frigjort plass.
error-roster-expired = Den nyeste medlemslisten (versjon { $version }) gikk ut { $expired }: å kryptere til den kan gi en fjernet leser notatene. Be en administrator synkronisere (det signerer en ny liste), og prøv så igjen.
error-roster-refused = Medlemslisten fra serveren ble avvist: { $reason }. Ingenting ble lastet opp; si fra til administratoren.
error-roster-equivocation = Serveren viste to ulike medlemslister som versjon { $version }: den kan være kompromittert. Ingenting ble lastet opp; si fra til administratoren.
error-refused = Serveren avviste forespørselen: { $reason }
error-not-approved = Denne enheten står ikke på medlemslisten ennå: be en administrator godkjenne den, og synkroniser så.
error-in-english = Det gikk ikke. Årsaken, på engelsk: { $cause }
error-with-cause = { $text } (Årsak, på engelsk: { $cause })
error-because = { $text } (Årsak: { $cause })
error-no-profile = Det finnes ingen Visitnotes-profil i { $home }: meld inn denne enheten først: åpne Visitnotes og lim inn invitasjonen.
error-profile-damaged = Innstillingene til denne profilen ({ $path }) er skadet: hent profilmappen fra en sikkerhetskopi, eller meld inn denne enheten på nytt i en ny mappe.
error-corrupt-keys = Nøkkelfilen { $file } er skadet, og ingenting ble endret: hent den fra en sikkerhetskopi av profilmappen.
error-no-roster = Denne enheten har ingen medlemsliste ennå: trykk Synkroniser nå når den er godkjent.
error-seal-failed = Notatet kunne ikke forsegles, og ingenting ble lagret.
error-encrypt-failed = Krypteringen mislyktes, og ingenting ble skrevet: prøv igjen, og si fra til den som drifter Visitnotes for dere hvis det skjer igjen.
error-local-store = Lageret av notater på denne datamaskinen sviktet.
error-local-disk-full = Disken på denne datamaskinen er full, så ingenting ble lagret. Frigjør plass på datamaskinen, og prøv igjen.
error-no-org-key = Dette krever organisasjonsnøkkelen, som ligger på en administrators enhet. En administrator kan importere den på siden for organisasjonsnøkkelen under Administrasjon.
error-id-too-short = «{ $given }» er for kort: oppgi minst { $min ->
    [one] ett tegn
   *[other] { $min } tegn
} av notatets id.
error-id-ambiguous = { $prefix } er begynnelsen på id-en til { $notes ->
    [one] ett notat
   *[other] { $notes } notater
}: oppgi mer av id-en.
error-note-deleted = Notat { $id } er slettet: det er ingenting igjen å endre.
error-not-coordinator = Bare koordinatorer registrerer oppfølging av bekymringer: spør en koordinator, eller fortell dem hva som ble gjort.
error-ambiguous = «{ $query }» passer med flere enn én: { $matches }. Oppgi mer av navnet, eller begynnelsen på id-en som vises.
error-not-found = Ingenting passer med «{ $query }»: oppgi et navn, eller begynnelsen på en id slik medlemslisten viser dem.
error-roster-not-published-revoked = Serveren avviser allerede enheten til { $person }, men den nye medlemslisten kunne ikke publiseres. Ingenting er tapt: gjør det samme igjen for å fullføre. Fram til da varsler administratorenes enheter at serveren sier mer enn listen.
error-roster-not-published-removed = Serveren avviser allerede { $person }, men den nye medlemslisten kunne ikke publiseres. Ingenting er tapt: gjør det samme igjen for å fullføre. Fram til da varsler administratorenes enheter at serveren sier mer enn listen.
error-head-not-uploaded = Versjon { $version } av medlemslisten er signert og publisert, men denne enhetens signerte erklæring om den kunne ikke lastes opp: trykk Synkroniser nå snart, så et medlem som serveren holder på en eldre liste, blir varslet.
error-io-read = Kan ikke lese { $path }: sjekk at den finnes, og at du har lov til å lese den.
error-io-write = Kan ikke skrive { $path }: sjekk at mappen finnes, at du har lov til å skrive i den, og at det er plass på disken.
error-io-create-folder = Kan ikke opprette mappen { $path }: sjekk at du har lov til å skrive der den skal ligge.
error-bad-server-response = Svaret fra serveren er ikke gyldig: ingenting ble endret her. Prøv igjen senere; si fra til den som drifter serveren hvis det fortsetter.
follow-up-refused-deleted = Notat { $note } ble slettet av den som skrev det: det er ingenting å følge opp.
follow-up-refused-not-stored = Notat { $note } ble aldri lagret på serveren (den avviste det): følg opp med den som skrev det.
follow-up-refused-no-concern = { $count ->
    [0] Notat { $note } har ingen bekymring: det er ingenting å følge opp.
    [one] Notat { $note } har én bekymring: oppgi 1 som nummeret.
   *[other] Notat { $note } har { $count } bekymringer: oppgi et nummer fra 1 til { $count }.
}
admin-error-not-admin = Denne enheten tilhører ikke en administrator: administrasjonen gjøres på en administrators enhet.
admin-error-rewrap-coordinator = Omkryptering gjøres på en koordinators enhet, som kan lese notatene: gjør det der.
admin-error-no-role = { $name } har ingen rolle på medlemslisten, så en ny enhet for vedkommende ville heller ikke få noen: inviter vedkommende som et nytt medlem.
admin-error-nothing-chosen = Ingen enhet ble valgt til godkjenning: velg en av dem som venter.
admin-error-invite-without-role = Invitasjonen denne enheten tok vare på for { $name }, har ingen rolle: avvis innmeldingen og lag en ny invitasjon. Ingenting ble godkjent.
admin-error-member-gone = { $person } står ikke på medlemslisten: ingenting ble signert. Se på listen igjen.
admin-error-no-active-device = { $name } har ingen aktiv enhet: det er ingenting å tilbakekalle.
org-key-error-device-key = Enheten { $device } til { $person } har en nøkkel som ikke er gyldig: organisasjonsnøkkelen ble ikke forseglet til den. Si fra til den som drifter Visitnotes for dere.
org-key-error-not-pinned = Organisasjonsnøkkelen på denne enheten er ikke den den festet ved innmeldingen: ingenting ble signert. Importer organisasjonens nøkkel på siden for organisasjonsnøkkelen under Administrasjon.

## Rapporten (koordinatorer)
report-title = Rapport
report-intro = Tall til den humanitære dialogen og årsrapporten, laget på denne datamaskinen fra notatene den har. Ingenting sendes noe sted.
report-form-heading = Velg rapport
report-dates-hint = Perioden, begge dager med: dag, måned og år, for eksempel 27.11.2026.
report-from = Fra
report-to = Til og med
report-by = Tall over tid per
report-by-month = Måned
report-by-quarter = Kvartal
report-by-year = År
report-lang = Språk i rapporten
report-text = Ta med fritekst
report-text-hint = Sammendrag av besøk, beskrivelser av bekymringer og sporingsnotater. En rapport med tekst kan sitere folk: ikke del den.
report-text-warning = Denne rapporten har med fritekst: ikke del den.
report-show = Vis rapporten
report-downloads = Lagre rapporten
report-format-html = Som nettside (HTML, fin å skrive ut)
report-format-markdown = Som tekst (Markdown)
report-format-csv = Som regneark (CSV)
report-format-json = Som data (JSON)
report-shown = { $n ->
    [one] Rapporten under teller ett besøk.
   *[other] Rapporten under teller { $n } besøk.
}
report-error-from-missing = Oppgi første dag i perioden.
report-error-to-missing = Oppgi siste dag i perioden.
report-error-by = Velg måned, kvartal eller år.
report-error-format = Det formatet finnes ikke: bruk en av lenkene på rapportsiden.

## The reports' labels (`visitnotes report`, and the report page)
report-label-title = Besøksrapport
report-label-period = Periode
report-label-generated = Laget
report-label-totals = Totalt
report-label-visits = Besøk
report-label-volunteers = Frivillige (besøksdager)
report-label-people-met = Personer møtt
report-label-shared-events = Felles arrangementer
report-label-units = Avdelinger besøkt
report-label-unit = Avdeling
report-label-activities = Aktiviteter
report-label-activity = Aktivitet
report-label-count = Antall
report-label-themes = Temaer tatt opp
report-label-theme = Tema
report-label-share = Andel av besøk
report-label-themes-over-time = Temaer over tid
report-label-visits-per-period = Besøk per periode
report-label-concerns = Bekymringer
report-label-severity = Alvorlighet
report-label-status = Oppfølging
report-label-date = Dato
report-label-description = Beskrivelse
report-label-days-to-report = Dager fra besøk til melding
report-label-days-to-closure = Dager fra besøk til avslutning
report-label-median = median
report-label-max = maks
report-label-open-concerns = Åpne bekymringer
report-label-none = ingen
report-label-tracing = Sporingsforespørsler
report-label-tracing-requests = Forespørsler
report-label-positive = Positive endringer
report-label-positive-visits = Besøk der en positiv endring ble notert
report-label-excluded = Utelatte notater
report-label-excluded-note = Disse notatene feilet verifisering og er ikke telt med:
report-label-integrity = Integritetsvarsler
report-label-integrity-note = Da rapporten ble laget, var disse varslene uløste på enheten som laget den; tallene kan være ufullstendige:
report-label-summaries = Sammendrag
report-label-concerns-by-severity = Bekymringer etter alvorlighet
report-label-by-status = Etter oppfølgingsstatus
report-label-figure = Nøkkeltall
report-label-no-reported-concerns = ingen meldte bekymringer å måle
report-label-no-closed-concerns = ingen avsluttede bekymringer å måle
report-label-with-follow-up-record = Bekymringer med oppfølging registrert av en koordinator
report-label-of = av
report-label-last-follow-up = Siste oppfølging
report-excluded-rejected = feilet verifisering: { $detail }
report-excluded-rejected-unexplained = feilet verifisering
report-excluded-follow-up-rejected = en oppfølging fra en koordinator som feilet verifisering, ikke brukt: { $detail }
report-excluded-not-addressed = ikke kryptert til denne enheten (be om at notatene krypteres på nytt, og kjør så sync --from-start)
report-excluded-follow-up-not-addressed = en oppfølging fra en koordinator som ikke er kryptert til denne enheten, ikke brukt (be om at den krypteres på nytt, og kjør så sync --from-start)

## Notater
notes-title = Alle notater
notes-none = Det er ingen notater på denne enheten ennå. Trykk Synkroniser nå for å hente nye.
note-title = Besøk { $date } på { $units }
note-meta = Skrevet av { $author }, versjon { $revision }
note-edit = Endre dette notatet
note-delete = Slett dette notatet
note-not-found = Det finnes ikke noe slikt notat på denne enheten. Trykk Synkroniser nå for å hente nye notater.
note-unshown-title = Dette notatet vises ikke
note-unshown-deleted = { $author } har slettet dette notatet.
note-unshown-rejected = Dette notatet, signert som { $author }, besto ikke kontrollen på denne enheten og vises ikke: { $reason }
note-unshown-not-addressed = Dette notatet fra { $author } ligger på denne enheten, men er ikke kryptert til den: det ble skrevet før denne enheten ble en av leserne. Be en koordinator om å kryptere notatene på nytt (på siden «Krypter på nytt»), og synkroniser så fra starten (på siden for synkronisering).
note-unshown-metadata-only = Denne enheten får bare vite hvem som skrev andres notater og når, ikke hva som står i dem: det er en administrators enhet, ikke en koordinators. Dette notatet ble skrevet av { $author }.
note-unshown-purged = Serveren sendte dette notatet fra { $author } uten innhold og sier at det er blitt fjernet etter oppbevaringsreglene eller ikke er for denne enheten. Det vises ikke; se varslene.
note-not-stored = Serveren ville ikke lagre dette notatet ({ $reason }). Det er tatt vare på på denne datamaskinen: skriv det på nytt som et nytt notat.
note-not-author = Bare den som skrev et notat, kan endre eller slette det.
note-saved = Lagret: { $what }. Det er kryptert på denne datamaskinen og sendes ved neste synkronisering.
note-saved-held = Lagret: { $what }. Det er kryptert på denne datamaskinen, men ikke sendt ennå: se hvorfor nedenfor.
note-held = Ikke sendt ennå: notatet er lagret og forseglet på denne datamaskinen, men den nyeste medlemslisten her (versjon { $version }) gikk ut { $expired }, og serveren kan holde tilbake en nyere. Trykk Synkroniser nå: kommer det en ny liste, forsegles notatet på nytt for leserne og sendes. Hvis ikke, be en administrator åpne Visitnotes og trykke Synkroniser nå (da signeres en ny liste), eller send det som det er (knappen nedenfor spør først).
note-kept = Sendt under en utløpt medlemsliste: notatet ble forseglet under medlemslisten versjon { $version }, som gikk ut { $expired }, og sendt som det var { $sent } fordi det ble valgt å sende under den utløpte listen. Det er kryptert til leserne den listen nevner, som kanskje ikke lenger er de nåværende.
note-kept-words = En advarsel lagret med notatet (på engelsk): { $words }
time-unknown = et ukjent tidspunkt
note-deleted = Notatet ble slettet på denne datamaskinen. Slettingen når serveren ved neste synkronisering.
concern-consent-yes = Personen sa ja til oppfølging.
concern-consent-no = Personen sa ikke ja til oppfølging.
delete-title = Slette dette notatet?
delete-explain = Dette kan ikke angres. Notatets tekst fjernes fra denne datamaskinen, og en signert sletting sendes ved neste synkronisering.
delete-confirm = Ja, slett notatet
delete-keep = Nei, behold det

## Notatskjemaet
form-new-title = Nytt besøksnotat
form-edit-title = Endre et besøksnotat
form-not-saved = Notatet er ikke lagret ennå: rett det som er merket nedenfor. Alt du har skrevet er tatt vare på.
form-visit = Besøket
form-date = Besøksdato
form-date-hint = Dag, måned og år, for eksempel 27.11.2026.
form-units = Avdelinger besøkt
form-unit-free = Avdeling besøkt
form-volunteers = Frivillige
form-volunteers-hint = Hvor mange dere var på besøket, deg selv medregnet.
form-people-met = Personer møtt
form-people-met-hint = Bare et tall: aldri et navn.
form-activities = Aktiviteter
form-themes = Temaer tatt opp
form-other-themes = Andre temaer
form-other-themes-hint = Noen få ord hver, ett per linje, uten navn.
form-concerns = Bekymringer
form-concerns-hint = En bekymring er noe en koordinator kan måtte følge opp. Legg til én for hver; uten navn.
form-concern-n = Bekymring { $n }
form-severity = Hvor alvorlig
form-concern-text = Hva bekymringen gjelder
form-concern-text-hint = Uten navn.
form-consent = Personen sa ja til oppfølging
form-consent-hint = Kryss av bare hvis personen sa ja til å bli fulgt opp.
form-follow-up = Oppfølging
form-reported-to = Meldt til
form-reported-to-hint = En rolle, ikke et navn, for eksempel «helsetjenesten på senteret». La stå tomt hvis ikke meldt.
form-reported-on = Meldt dato
form-closed-on = Avsluttet dato
form-optional-date-hint = En dato, eller tomt.
form-remove-concern = Fjern bekymring { $n }
form-add-concern = Legg til en bekymring
form-tracing = Sporingsforespørsler
form-tracing-count = Sporingsforespørsler
form-tracing-note = Hva det ble spurt om
form-no-names = Uten navn.
form-summary = Sammendrag
form-language = Tekstens språk
form-save = Lagre notatet
form-leave = Gå ut (utkastet tas vare på)
draft-keep = Ta vare på som utkast
draft-kept = Utkastet er tatt vare på, kryptert på denne datamaskinen.
draft-restored = Utkastet ditt fra { $when } er tilbake, slik du forlot det.
draft-discard = Forkast utkastet og begynn på nytt
draft-discarded = Utkastet ble forkastet.
draft-saved-while-typing = Utkast tatt vare på kl. { $time }.
home-drafts-heading = Ikke lagret ennå
home-draft-new = Et nytt notat du begynte på, tatt vare på { $when }.
home-draft-edit = Endringer i et notat du begynte på, tatt vare på { $when }.
home-draft-continue = Fortsett å skrive

severity-low = Lav
severity-medium = Middels
severity-high = Høy
severity-urgent = Akutt
follow-up-open = Åpen
follow-up-in_progress = Under arbeid
follow-up-closed = Avsluttet

## Feil ved feltene
error-date = «{ $value }» er ikke en dato: skriv dag, måned og år, for eksempel 27.11.2026.
error-future-date = Denne datoen er fram i tid: oppgi dagen for besøket.
error-count = «{ $value }» er ikke et tall: skriv et helt tall, for eksempel 4.
error-count-negative = Et antall personer kan ikke være under 0.
error-count-implausible = Dette tallet er for stort til å stemme.
error-severity = Velg hvor alvorlig bekymringen er.
error-empty-note = Notatet er tomt: oppgi minst avdelingen og hvem dere møtte, eller et sammendrag.
error-no-unit = Kryss av minst én avdeling.
error-unknown-unit = { $unit } er ikke en av organisasjonens avdelinger.
error-too-long = Denne teksten er for lang (høyst 20 000 tegn).
error-language = Velg tekstens språk.
error-empty-concern = Skriv hva bekymringen gjelder, eller fjern den.

## Synkronisering
sync-title = Synkronisering
sync-idle = Trykk på knappen for å sende notatene dine og hente nye.
sync-locked = Profilen ble låst før synkroniseringen startet: lås den opp og trykk Synkroniser nå igjen.
sync-running = { $n ->
    [0] Synkroniserer …
    [one] Synkroniserer … ett nytt notat mottatt så langt.
   *[other] Synkroniserer … { $n } nye notater mottatt så langt.
}
sync-running-hint = Denne siden oppdaterer seg selv. Du kan la den stå åpen eller gå videre.
sync-done = Synkroniseringen var ferdig { $when }.
sync-pushed = { $n ->
    [0] Ingenting ventet på å bli sendt.
    [one] Én endring ble sendt.
   *[other] { $n } endringer ble sendt.
}
sync-received-from = Fra { $name }: { $what }.
sync-received-new = { $n ->
    [one] ett nytt notat
   *[other] { $n } nye notater
}
sync-received-changed = { $n ->
    [one] ett endret notat
   *[other] { $n } endrede notater
}
sync-received-deleted = { $n ->
    [one] ett slettet notat
   *[other] { $n } slettede notater
}
sync-received-follow-ups = { $n ->
    [one] én oppfølging
   *[other] { $n } oppfølginger
}
sync-received-nothing = Ingenting nytt fra andre.
sync-not-addressed = { $n ->
    [one] Ett notat ble skrevet før denne enheten ble med og kan ikke leses her ennå: be en koordinator kryptere det på nytt.
   *[other] { $n } notater ble skrevet før denne enheten ble med og kan ikke leses her ennå: be en koordinator kryptere dem på nytt.
}
sync-refused = Serveren ville ikke lagre et notat: { $reason }. Det er tatt vare på på denne datamaskinen.
sync-restored = Serveren ser ut til å være gjenopprettet fra en eldre sikkerhetskopi ({ $why }). Denne datamaskinen hentet alt på nytt og beholdt alle notatene den hadde. Si fra til administratoren.
sync-reuploaded = { $n ->
    [one] Ett notat som serveren hadde mistet, ble sendt på nytt fra denne datamaskinen.
   *[other] { $n } notater som serveren hadde mistet, ble sendt på nytt fra denne datamaskinen.
}
sync-held = { $n ->
    [one] Ett notat holdes tilbake på denne datamaskinen: medlemslisten er utløpt. Be en administrator synkronisere.
   *[other] { $n } notater holdes tilbake på denne datamaskinen: medlemslisten er utløpt. Be en administrator synkronisere.
}
sync-waiting = { $n ->
    [one] Ett notat venter på denne datamaskinen til serveren har den gjeldende medlemslisten. Be en administrator synkronisere.
   *[other] { $n } notater venter på denne datamaskinen til serveren har den gjeldende medlemslisten. Be en administrator synkronisere.
}
sync-all-well = Alt er oppdatert.
sync-failed = Synkroniseringen { $when } ble ikke ferdig.
sync-failed-hint = Ingenting er tapt: det som ikke ble sendt, ligger fortsatt her. Prøv igjen når forbindelsen er tilbake.
sync-org-key-received = Organisasjonsnøkkelen (fingeravtrykk { $fingerprint }), overlevert av { $from }, er på denne datamaskinen nå: den kan signere medlemslisten.
sync-org-key-refused = Organisasjonsnøkkelen serveren leverte, ble avvist: { $why }. Den ble ikke beholdt; si fra til en annen administrator.
sync-not-reuploaded = Serveren hadde mistet et notat fra denne datamaskinen og ville ikke ta imot det igjen: { $reason }. Det blir liggende på denne datamaskinen; si fra til administratoren.
sync-republished = Serveren hadde en eldre medlemsliste (versjon { $old }; den ser ut til å være gjenopprettet fra en eldre sikkerhetskopi): denne datamaskinen publiserte den gjeldende (versjon { $version }) på nytt.
sync-warning-roster-not-renewed = Medlemslisten går snart ut og kunne ikke signeres på nytt: { $error }. Neste synkronisering prøver igjen.
sync-warning-audit-log-restored = Serverens revisjonslogg ble gjenopprettet sammen med den: oppføring { $first } til { $last } i loggen denne datamaskinen hadde signert et kontrollpunkt for ({ $signed }), er borte. { $entries ->
    [one] Den ene oppføringen loggen har nå, henger sammen uten brudd,
   *[other] De { $entries } oppføringene loggen har nå, henger sammen uten brudd,
} og et nytt kontrollpunkt signeres over dem.
sync-warning-no-audit-checkpoint = Det ble ikke signert noe kontrollpunkt for serverens revisjonslogg: { $error }.
sync-warning-upkeep-failed = Synkroniseringen er gjort, men det en administrators enhet gjør etterpå, ble ikke fullført: { $error }. Neste synkronisering prøver igjen.

## Hvorfor serveren ser ut til å være gjenopprettet fra en eldre sikkerhetskopi.

restored-other-store = den svarer som et annet lager enn før (databasen ble byttet ut)
restored-emptied = den har ikke lenger noen av notatene denne enheten hadde hentet fra den
restored-ends-before = notatene dens slutter nå ved nummer { $head }, men denne enheten hadde allerede hentet til nummer { $cursor }
restored-other-note = notatet den nå har ved nummer { $cursor }, er ikke det denne enheten hentet der
restored-last-read-gone = den har ikke lenger notatet denne enheten hentet sist (nummer { $cursor })

## Hvorfor en kopi av en versjon som er sett før, avvises.

changed-copy-other-content = serveren leverer nå et annet innhold for en versjon som er sett før
changed-copy-damaged = en skadet kopi av en versjon som er sett før: { $error }

## Måneder
month-1 = januar
month-2 = februar
month-3 = mars
month-4 = april
month-5 = mai
month-6 = juni
month-7 = juli
month-8 = august
month-9 = september
month-10 = oktober
month-11 = november
month-12 = desember

## Aktiviteter
activity-conversation = Samtale
activity-conversation-hint = Prate med folk, på tomannshånd eller i gruppe.
activity-games = Spill
activity-games-hint = Brettspill, kort og lignende.
activity-sports = Sport
activity-sports-hint = Fotball, bordtennis, trening sammen.
activity-bingo = Bingo
activity-bingo-hint = En bingorunde.
activity-shared_event = Felles arrangement
activity-shared_event-hint = Et måltid, en feiring eller et annet arrangement med de internerte.
activity-other = Annet
activity-other-hint = Noe annet dere gjorde sammen.

## Temaer
theme-physical_health = Fysisk helse
theme-physical_health-hint = Sykdom, smerter, skader, tilgang til lege eller medisiner.
theme-mental_health = Psykisk helse
theme-mental_health-hint = Angst, søvnløshet, depresjon, tilgang til psykolog.
theme-self_harm_or_suicide_risk = Selvskading eller selvmordsfare
theme-self_harm_or_suicide_risk-hint = Tanker om eller handlinger med selvskading eller selvmord: legg også til en bekymring.
theme-hunger_strike = Sultestreik
theme-hunger_strike-hint = Nekter mat eller drikke, eller sier de vil gjøre det.
theme-isolation_security_unit = Isolasjon / sikkerhetsavdeling
theme-isolation_security_unit-hint = Holdt atskilt fra andre, på sikkerhetsavdelingen eller andre steder.
theme-lock_in = Innlåsing
theme-lock_in-hint = Innelåst på rommet eller avdelingen, for eksempel om kvelden.
theme-body_search = Kroppsvisitasjon
theme-body_search-hint = Visitasjon av kroppen eller eiendeler.
theme-phone_and_internet_access = Tilgang til telefon og internett
theme-phone_and_internet_access-hint = Samtaler, mobiltelefon, internett, kontakt med familie eller advokat.
theme-information_about_case = Informasjon om egen sak / asylprosessen
theme-information_about_case-hint = Hva de får vite om saken sin, asylprosessen eller retur.
theme-delegation_interviews = Delegasjonsintervjuer
theme-delegation_interviews-hint = Intervjuer med delegasjoner fra opprinnelsesland.
theme-food = Mat
theme-food-hint = Måltider: kvalitet, mengde, kosthold, tidspunkt.
theme-family_separation = Familiesplittelse
theme-family_separation-hint = Atskilt fra partner, barn eller annen familie.
theme-children = Barn
theme-children-hint = Barn som holdes internert, eller barna til de internerte.
theme-vulnerable_people = Sårbare personer
theme-vulnerable_people-hint = Graviditet, funksjonsnedsettelse, høy alder, ofre for tortur eller menneskehandel.
theme-positive_change = Positiv endring
theme-positive_change-hint = Noe som er blitt bedre siden tidligere besøk.
theme-other = Annet
theme-other-hint = Et tema som ikke står på listen: skriv det under «Andre temaer» nedenfor.

## Koordinatorenes oppfølging av bekymringer
follow-up-stands = Status nå
follow-up-in-note = Oppfølging slik notatet sier
follow-up-history = Oppfølging fra koordinatorer
follow-up-entry = { $status } { $date } av { $by }
follow-up-recorded = registrert { $when }
follow-up-pending = ikke synkronisert ennå
follow-up-record = Registrer oppfølging av bekymring { $n }
follow-up-status = Status
follow-up-date = Dato det ble gjort
follow-up-text = Hva som ble gjort
follow-up-save = Registrer oppfølging
follow-up-saved = Oppfølging registrert på bekymring { $n }. Den venter i utboksen til du synkroniserer; selve notatet er uendret.
follow-up-error-future = { $date } er fram i tid: oppgi dagen det ble gjort.
follow-up-error-before-visit = { $date } er før besøket ({ $visit }): oppgi dagen det ble gjort.
follow-up-error-long = Teksten er lengre enn { $max } byte: hold den til noen få setninger.
follow-up-apart-heading = Oppfølging som ikke vises under en bekymring
follow-up-apart-concern = En registrering på bekymring { $n }:
follow-up-apart-not-received = notatet er ikke (ennå) på denne datamaskinen.
follow-up-apart-deleted = notatet ble slettet av den som skrev det.
follow-up-apart-changed = lederen har endret eller fjernet bekymringen siden, så den telles ikke: registrer den på nytt på bekymringen slik den er nå.
follow-up-apart-wrong-author = den ble sendt til en annen persons lesere og telles ikke: si fra til administratoren.
follow-up-error-status = Velg status for bekymringen.
col-received = Mottatt av
received-none = Ingen koordinator har bekreftet den ennå
received-unknown = Kunne ikke leses
home-received-unreadable = Hvilke koordinatorer som har mottatt notatene dine, kunne ikke leses på denne datamaskinen: { $reason }. Resten av siden er som vanlig.

## Filtre for notatlisten
filter-heading = Filtrer notatene
filter-from = Besøk fra
filter-to = Besøk til
filter-unit = Avdeling
filter-theme = Tema som kom opp
filter-severity = Bekymringer
filter-author = Skrevet av
filter-any = Alle
filter-severity-low = Med bekymring
filter-severity-medium = Middels eller alvorligere
filter-severity-high = Høy eller akutt
filter-severity-urgent = Akutt
filter-apply = Vis
filter-clear = Fjern filtrene
filter-shown = { $shown } av { $total } { $total ->
    [one] notat
   *[other] notater
} vises.
filter-error-order = Denne datoen er før den første: perioden slutter etter at den begynner.
filter-dates-hint = En periode: dag, måned og år, for eksempel 27.11.2026; la feltet stå tomt for ingen grense.

## Administrasjon
nav-admin = Administrasjon
home-admin-link = Administrasjon: invitasjoner, godkjenninger, medlemslisten
admin-title = Administrasjon
admin-nav-label = Administrasjon
admin-nav-overview = Invitasjoner og godkjenninger
admin-nav-roster = Medlemsliste
admin-nav-units = Avdelinger
admin-nav-rewrap = Krypter på nytt
admin-nav-audit = Revisjonslogg
admin-forbidden-title = Bare for administratorer
admin-forbidden-text = Disse sidene er for administratorer. Denne profilen er ikke en administrators i medlemslisten.
admin-failed-title = Det gikk ikke
admin-back = Tilbake til administrasjon
admin-back-roster = Tilbake til medlemslisten
admin-keep = Nei, gå tilbake
admin-role-leader = Gruppeleder
admin-role-coordinator = Koordinator
admin-role-admin = Administrator
admin-role-unknown = (ikke kjent her)
admin-org-key-granted = Organisasjonsnøkkelen ble forseglet til enheten { $device } til { $name } (en administrators enhet); den hentes ved neste synkronisering der.
admin-org-key-not-granted = Organisasjonsnøkkelen kunne ikke overleveres til administratorenhetene som mangler den. Ingenting er tapt, og ingenting annet avhenger av det: neste synkronisering her prøver igjen.
admin-org-key-not-granted-why = Årsak: { $why }
admin-org-key-from-device = enheten { $device }
admin-org-key-refused-not-a-key = den lar seg ikke åpne som en organisasjonsnøkkel med denne enhetens nøkkel
admin-org-key-refused-other-key = det er nøkkelen med fingeravtrykk { $found }, ikke denne organisasjonens ({ $expected })
admin-org-key-reminder = Organisasjonsnøkkelen finnes bare på denne enheten, og ingen andeler av den er laget. Blir enheten borte eller ødelagt, kan ingen endre medlemslisten igjen. Del den i andeler som skrives ut og gis til forskjellige personer (siden Organisasjonsnøkkel), eller godkjenn en administrator til, hvis enhet får nøkkelen.
admin-approved-title = { $name } er godkjent
admin-claims-heading = Serveren sier mer enn medlemslisten
admin-claims-intro = Serveren melder endringer som ingen medlemsliste signert av organisasjonen sier. Ingenting ble signert. Sjekk hver av dem: har en administrator gjort endringen uten at medlemslisten ble publisert, fullfør den her (siden viser hva den signerer og spør først, med de vanlige kontrollene). Har ingen gjort det, forteller serveren ikke sannheten: ikke signer det, og si fra til den som drifter serveren.
admin-claim-removed = Serveren sier at { $name } er fjernet.
admin-claim-revoked = Serveren sier at enheten { $device } til { $name } er tilbakekalt.
admin-claim-roster-behind = Serveren gir medlemsliste versjon { $served }, eldre enn versjon { $held } på denne enheten (gjenopprettet fra en eldre sikkerhetskopi, eller den holder den nyere tilbake). En synkronisering her publiserer versjon { $held } igjen, uendret.
admin-claim-remove = Sjekk, og fjern { $name } …
admin-claim-revoke = Sjekk, og tilbakekall denne enheten …
admin-claim-sync = Gå til synkronisering
admin-pending-heading = { $n ->
    [0] Enheter som venter på godkjenning
    [one] Én enhet venter på godkjenning
   *[other] { $n } enheter venter på godkjenning
}
admin-pending-none = Ingen enhet venter på godkjenning.
admin-pending-hint = Før du godkjenner: ring personen og sammenlign fingeravtrykket. De leser sitt høyt (Visitnotes viste det etter innmeldingen), du sjekker det mot det her, gruppe for gruppe.
admin-pending-gone = Den innmeldingen venter ikke lenger (allerede godkjent eller avvist, eller borte fra serveren). Ingenting ble endret.
admin-col-role = Rolle
admin-col-enrolled = Meldt inn
admin-col-invited-as = Invitert som
admin-fingerprint = Enhetens fingeravtrykk
admin-fingerprint-hint = Åtte grupper med fire bokstaver og sifre, til å lese høyt.
admin-verdict-genuine = Nøklene stemmer: de er de som den inviterte enheten sendte.
admin-verdict-unknown = Invitasjonen ble laget på en annen administrators enhet: godkjenn den der.
admin-verdict-tampered = Fare: nøklene ble endret underveis.
admin-verdict-tampered-todo = Denne enhetens nøkler stemmer ikke med det den inviterte enheten sendte: noen kan ha byttet dem. Ikke godkjenn den: avvis den og lag en ny invitasjon.
admin-approve = Godkjenn { $name }
admin-reject = Avvis { $name } …
admin-approved = { $name } er godkjent: medlemsliste versjon { $version } er signert og publisert. Enheten deres får den ved neste synkronisering.
admin-reject-title = Avvise { $name }?
admin-reject-explain = Dette sletter innmeldingen til { $name } (meldt inn { $when }): den kan ikke lenger godkjennes, og de trenger en ny invitasjon.
admin-reject-confirm = Ja, avvis den
admin-rejected = Innmeldingen til { $name } er avvist. Lag en ny invitasjon om de likevel skal inn.
admin-invite-heading = Inviter noen
admin-invite-role = Rolle
admin-invite-name = Navn
admin-invite-name-hint = Slik de andre vil se det, for eksempel «Kari Nordmann».
admin-invite-button = Lag invitasjonen
admin-invite-error-name = Skriv personens navn.
admin-invite-error-role = Velg en rolle.
admin-invite-made-title = Invitasjon til { $name }
admin-invite-made = Som { $role }, gyldig til { $until }, kan brukes én gang.
admin-invite-give = Gi den videre på en kanal du stoler på (ansikt til ansikt, eller en samtale): den som har koden, kan be om å bli med.
admin-invite-code = Invitasjonskode
admin-invite-copy = Kopier koden
admin-invite-copied = Kopiert.
admin-invite-run = De åpner Visitnotes på sin datamaskin og limer inn koden på den første siden.
admin-invite-qr = Den samme koden som QR-kode, til å skanne fra denne skjermen.
admin-invite-qr-label = QR-kode for invitasjonskoden
admin-roster-title = Medlemsliste
admin-roster-version = Medlemsliste versjon { $version }, signert { $signed },
admin-roster-valid = gyldig til { $when }.
admin-roster-expired = UTLØPT { $when }: synkroniser for å signere en ny.
admin-roster-org-key = Signert av organisasjonsnøkkelen med fingeravtrykk { $fingerprint }.
admin-member-removed = (fjernet)
admin-devices-of = Enhetene til { $name }
admin-col-device = Enhet
admin-col-state = Status
admin-this-device = (denne enheten)
admin-device-active = Aktiv
admin-device-revoked = Tilbakekalt: notatene fram til nummer { $seq } er fortsatt til å stole på.
admin-device-revoked-version = Aktiv til og med medlemsliste versjon { $version }.
admin-revoke-link = Tilbakekall denne enheten …
admin-remove-link = Fjern { $name } …
admin-refused-title = Avvist
admin-refused-this-device = Dette er enheten du bruker: tilbakekaller du den, stenger du deg selv ute. Tilbakekall den fra en annen administrators enhet.
admin-refused-yourself = { $name } er deg (denne enheten): fjerner du deg selv, stenger du deg ute. Be en annen administrator.
admin-refused-last-admin = { $name } er den siste administratoren: ingen kunne lenger godkjenne enheter eller endre medlemslisten. Inviter en annen administrator først.
admin-refused-last-coordinator = { $name } er den siste koordinatoren: ingen kunne lenger lese gruppeledernes notater. Inviter en annen koordinator først.
admin-nothing-signed = Ingenting ble signert.
admin-will-sign = Dette signerer og publiserer en ny medlemsliste som sier:
admin-plan-person = Person
admin-plan-enrolled = meldt inn { $when }
admin-plan-trusted = Til å stole på til og med
admin-plan-version = Ny versjon av medlemslisten
admin-plan-devices = Enheter
admin-plan-devices-n = { $n ->
    [0] ingen aktiv enhet
    [one] én aktiv enhet, tilbakekalles sammen med dem
   *[other] { $n } aktive enheter, tilbakekalles sammen med dem
}
admin-plan-changed = Noe er endret siden forrige side (en nyere medlemsliste eller en nyere erklæring fra enheten): sjekk hva som blir signert nå.
admin-trust-none-head = Den sa selv, signert { $when }, at den ikke hadde sendt noen notater: ingen blir godtatt fra den.
admin-trust-none = Ingen notater fra den kan bekreftes her: ingen blir godtatt fra den.
admin-trust-head = Notatene fram til nummer { $seq } er fortsatt til å stole på: den sa det selv, signert { $when }. Senere blir avvist.
admin-trust-note = Notatene fram til nummer { $seq } er fortsatt til å stole på: det nyeste denne enheten har bekreftet, lagret av serveren { $when }. Senere blir avvist.
admin-trust-plain = Notatene fram til nummer { $seq } er fortsatt til å stole på: det nyeste denne enheten har bekreftet. Senere blir avvist.
admin-trust-server-more = Serveren sier den har notater fram til nummer { $server }, men ingenting enheten har signert viser mer enn { $seq }: resten er ikke til å stole på.
admin-revoke-title = Tilbakekalle en enhet til { $name }?
admin-revoke-explain = Serveren avviser enheten fra nå av; dette kan ikke gjøres om (en gjenfunnet enhet trenger en ny invitasjon).
admin-revoke-last-device = { $name } vil ikke ha noen aktiv enhet igjen: inviter en ny til dem etterpå.
admin-revoke-confirm = Ja, tilbakekall den
admin-revoked = Enheten { $device } til { $name } er tilbakekalt: medlemsliste versjon { $version } er publisert.
admin-remove-title = Fjerne { $name }?
admin-remove-explain = De kan ikke lenger synkronisere eller lese nye notater; notatene de sendte før, er fortsatt til å stole på. Krypter deretter på nytt på en koordinators enhet, så nøkkelen deres ikke lenger åpner lagrede notater.
admin-remove-confirm = Ja, fjern dem
admin-removed = { $name } er fjernet: medlemsliste versjon { $version } er publisert. Krypter på nytt på en koordinators enhet som neste steg.
admin-units-title = Avdelinger
admin-units-hint = Avdelingene som tilbys i notatskjemaet. En avdeling som er tatt ut, tilbys ikke lenger; notater som nevner den, beholder den.
admin-units-new = Ny avdeling
admin-units-add = Legg til avdelingen
admin-units-retire = Ta ut …
admin-units-error-empty = Skriv avdelingens navn.
admin-unit-added = { $unit } er lagt til: medlemsliste versjon { $version } er publisert.
admin-retire-title = Ta ut { $unit }?
admin-retire-explain = Dette signerer medlemsliste versjon { $version }, der { $unit } ikke lenger tilbys for nye notater (notater som nevner den, beholder den). Avdelingene blir: { $after }.
admin-retire-confirm = Ja, ta den ut
admin-unit-retired = { $unit } er tatt ut: medlemsliste versjon { $version } er publisert.
admin-rewrap-title = Krypter de lagrede notatene på nytt
admin-rewrap-explain = Etter at noen er fjernet, krypterer dette hvert notat serveren lagrer på nytt, bare til leserne i gjeldende medlemsliste, så den fjernede nøkkelen ikke lenger åpner serverens kopier. Det kjøres på en koordinators enhet, som kan lese notatene, og kan ta en stund.
admin-rewrap-sure = Jeg vil at hvert lagrede notat krypteres på nytt til de nåværende leserne.
admin-rewrap-button = Krypter på nytt nå
admin-rewrap-not-sure = Kryss av i boksen først for å bekrefte; ingenting ble endret.
admin-rewrap-not-coordinator = Denne profilen er ikke en koordinators: krypter på nytt på en koordinators enhet (siden «Krypter på nytt» der).
admin-rewrap-done = { $n ->
    [0] Ingen notater trengte ny kryptering.
    [one] Ett notat er kryptert på nytt.
   *[other] { $n } notater er kryptert på nytt.
}
admin-rewrap-version = De lagrede notatene kan nå bare leses av leserne i medlemsliste versjon { $version }.
admin-rewrap-not-readable = { $n ->
    [one] Ett notat er ikke kryptert til denne enheten: en annen koordinator som kan lese det, må også kryptere på nytt.
   *[other] { $n } notater er ikke kryptert til denne enheten: en annen koordinator som kan lese dem, må også kryptere på nytt.
}
admin-rewrap-refused = { $n ->
    [one] Ett notat ble avvist ved kontrollen: se varslene.
   *[other] { $n } notater ble avvist ved kontrollen: se varslene.
}
admin-audit-title = Revisjonslogg
admin-audit-intact = Revisjonsloggen er intakt.
admin-audit-broken = Revisjonsloggen er BRUTT: si fra til den som driver serveren. Varselet står til den er intakt igjen.
admin-audit-unchecked = Loggen kunne ikke kontrolleres: { $why }
admin-audit-empty = Loggen har ingen oppføringer ennå.
admin-audit-col-seq = Nr.
admin-audit-col-when = Når
admin-audit-col-action = Hva
admin-audit-col-who = Av
admin-audit-col-what = Detaljer
admin-audit-server = serveren
admin-audit-action-roster = Medlemsliste publisert
admin-audit-action-download = Nedlasting
admin-audit-action-invite = Invitasjon laget
admin-audit-action-enrol = Enhet meldt inn
admin-audit-action-revoke = Enhet tilbakekalt
admin-audit-action-reject = Innmelding avvist
admin-audit-action-restore = Server gjenopprettet
admin-audit-action-remove = Person fjernet
admin-audit-action-upload = Notater mottatt
admin-audit-action-rewrap = Notater kryptert på nytt
admin-audit-action-purge = Gamle versjoner slettet
admin-audit-action-org-key-grant = Organisasjonsnøkkelen overlevert
admin-audit-action-checkpoint = Kontrollpunkt for revisjonsloggen signert
admin-units-refused-already = «{ $unit }» er allerede en av avdelingene
admin-units-refused-not-there = «{ $unit }» er ikke en av avdelingene ({ $units })
admin-units-refused-none = behold minst én avdeling, og ingen av dem tom
admin-audit-person = { $name } ({ $id })
admin-audit-device = enheten { $device } til { $name }
admin-audit-finding-chain-intact = { $n ->
    [0] serverens logg har ingen oppføringer ennå
    [one] kjeden av serverens ene oppføring er hel
   *[other] kjeden av serverens { $n } oppføringer er hel
}
admin-audit-finding-chain-broken = BRUTT: oppføring { $seq } er brutt: { $reason }
admin-audit-finding-no-server-checkpoint = serveren har ikke noe kontrollpunkt
admin-audit-finding-server-unchecked = serverens nyeste kontrollpunkt viser til medlemsliste versjon { $version }, som denne enheten ikke har: det ble ikke kontrollert
admin-audit-finding-server-invalid = BRUTT: serverens nyeste kontrollpunkt kan ikke bekreftes: { $error }
admin-audit-finding-none-yet = ingen signerte kontrollpunkter å sammenligne med ennå: en administrators synkronisering signerer ett
admin-audit-finding-matches = oppføring 1 til { $entries } stemmer med kontrollpunktet { $signer } signerte { $when } ({ $which })
admin-audit-finding-removed = BRUTT: oppføring { $entries }, som kontrollpunktet { $signer } signerte { $when } dekker, er fjernet ({ $which })
admin-audit-finding-truncated = BRUTT: AVKORTET: kontrollpunktet { $signer } signerte { $when } dekker { $entries } { $entries ->
    [one] oppføring
   *[other] oppføringer
}, serverens logg har nå { $have }: oppføring { $from } til { $entries } er fjernet ({ $which })
admin-audit-finding-rewritten = BRUTT: OMSKREVET: oppføring { $entries } har ikke lenger hashen i kontrollpunktet { $signer } signerte { $when }: den, eller en oppføring før den, er endret og kjeden regnet ut på nytt ({ $which })
admin-audit-signer-this-device = { $name } (denne enheten)
admin-audit-kept-here = lagret på denne enheten
admin-audit-kept-server = serverens nyeste

## Detaljene i revisjonsloggen (`ops::audit::Detail`), lest fra serverens oppføringer
admin-audit-detail-roster = versjon { $version }
admin-audit-detail-roster-after = versjon { $version } (etter versjon { $after }: publisert på nytt etter en gjenoppretting?)
admin-audit-detail-revisions = { $count ->
    [one] én revisjon
   *[other] { $count } revisjoner
}, nummer { $first } til { $last }
admin-audit-detail-rewrapped = { $count ->
    [one] én revisjon
   *[other] { $count } revisjoner
}
admin-audit-detail-purged = { $count ->
    [one] én erstattet revisjon
   *[other] { $count } erstattede revisjoner
}
admin-audit-detail-invite = { $user } som { $role ->
    [leader] leder
    [coordinator] koordinator
   *[admin] administrator
}{ $bootstrap ->
    [yes] , den første administratoren
   *[no] {""}
}
admin-audit-detail-enrolled = { $device } for { $user } som { $role ->
    [leader] leder
    [coordinator] koordinator
   *[admin] administrator
}
admin-audit-detail-device = { $device }
admin-audit-detail-restored = { $device } til { $user }, lagt inn igjen fra medlemslisten
admin-audit-detail-user = { $user }
admin-audit-detail-checkpoint = oppføring 1 til { $entries } signert
admin-audit-break-missing = oppføring { $seq } mangler
admin-audit-break-unlinked = den lenker ikke til oppføringen før den
admin-audit-break-edited = innholdet stemmer ikke med hashen (endret)

## Periodene i rapportene («4. kvartal 2026», «desember 2026»)
report-quarter = { $quarter }. kvartal { $year }
report-month = { $month } { $year }

## Kolonnene i rapportens CSV og arkene i Excel-filen
report-column-note = Notat
report-column-visit-date = Besøksdato
report-column-units = Avdelinger
report-column-volunteers = Frivillige
report-column-people-met = Personer møtt
report-column-activities = Aktiviteter
report-column-themes = Temaer
report-column-concerns = Bekymringer
report-column-max-severity = Alvorligste bekymring
report-column-tracing-requests = Sporingsforespørsler
report-column-summary = Sammendrag
report-format-csv-layout = CSV-filen har notatene, én rad per notat (besøksdato, avdelinger, antall, aktiviteter, temaer, alvorligste bekymring), med overskriftene på rapportens språk; cellene er skilt med { $separator }. Alle tabellene i rapporten ligger i Excel-filen, ett ark for hver.
report-separator-comma = komma
report-separator-semicolon = semikolon
report-column-notes-sheet = Notater
# Tallformatet for datoer i Excel-filen.
report-column-date-format = dd.mm.yyyy
report-format-xlsx = Som Excel-arbeidsbok (XLSX, ett ark per tabell)
report-error-xlsx = Excel-arbeidsboken kunne ikke lages, og ingenting ble lagret: lagre rapporten i et annet format.

## Hvorfor en revisjon ble avvist (`ops::rejection`), lest fra kontrollens ord
reject-bad-signature = notatets signatur består ikke kontrollen: det er endret eller forfalsket
reject-unknown-device = det er signert av enheten { $device }, som ikke står på medlemslisten
reject-revoked-device = det er signert av enheten { $device }, som ble trukket tilbake før det ble skrevet
reject-author-mismatch = det oppgir en annen forfatter enn den enheten tilhører
reject-not-coordinator = oppfølgingen er signert av enheten { $device }, som ikke tilhører en koordinator: bare koordinatorer registrerer oppfølging
reject-id-mismatch = innholdet stemmer ikke med konvolutten (notat-id eller revisjon er ulik): notater ble byttet om
reject-rollback = tilbakerulling: { $what ->
    [revision] revisjon
   *[seq] notat nummer
} { $got } er ikke høyere enn { $seen }, som alt er sett
reject-stale-roster = det ble skrevet under versjon { $note } av medlemslisten, nyere enn denne enhetens versjon { $have }: synkroniser først
reject-forbidden-stanza = det er kryptert med en { $stanza }-blokk; bare X25519 godtas
reject-outside-revoked-history = signert med nøkkelen til enheten til { $name }, som er trukket tilbake, men ikke del av historikken tilbaketrekkingen stoler på (til og med notat nummer { $seq })
## Melde inn denne enheten på siden (`visitnotes ui` uten profil).
enrol-unit-suggestion-men = Mannsavdelingen
enrol-unit-suggestion-women = Kvinneavdelingen
enrol-unit-suggestion-extra = Ekstraavdelingen
enrol-unit-suggestion-security = Sikkerhetsavdelingen
enrol-title = Ta i bruk Visitnotes på denne datamaskinen
enrol-intro = Administratoren din har sendt deg en invitasjonskode. Lim den inn her sammen med navnet ditt, og velg en passordfrase for denne datamaskinen. Ingenting sendes før alt er kontrollert her, så en feil bruker ikke opp invitasjonen.
enrol-invite = Invitasjonskode
enrol-invite-hint = Den begynner med VN1-. Lim den inn hel; linjeskift og mellomrom som e-posten legger til, gjør ingenting.
enrol-name = Navnet ditt
enrol-name-hint = Slik administratoren og kollegene dine vil se det, for eksempel «Kari Nordmann».
enrol-passphrase = Ny passordfrase for denne datamaskinen
enrol-passphrase-hint = Minst 8 tegn; noen ord du husker, er best. Den åpner Visitnotes på denne datamaskinen; ingen kan gjenopprette den.
enrol-passphrase-again = Den samme passordfrasen en gang til
enrol-units = Organisasjonens avdelinger
enrol-units-hint = Du er den første administratoren: innmeldingen oppretter organisasjonen. Én avdeling per linje, slik notatene skal navngi dem; endre forslagene som du trenger (administratorer kan endre avdelingene senere).
enrol-button = Meld inn denne datamaskinen
enrol-retype = For sikkerhets skyld er passordfrasefeltene tomme igjen: skriv passordfrasen på nytt, to ganger. Alt annet du skrev, er tatt vare på.
enrol-errors = Ingenting ble sendt, og invitasjonen er ikke brukt. Rett det som er merket nedenfor:
enrol-error-name = Skriv navnet ditt.
enrol-error-invite-empty = Lim inn invitasjonskoden administratoren sendte deg.
enrol-error-invite-not-invite = Dette er ikke en invitasjonskode til Visitnotes: den begynner med VN1-. Lim inn hele koden fra meldingen til administratoren.
enrol-error-invite-damaged = Invitasjonskoden er ufullstendig eller har et feilskrevet tegn: kopier den på nytt, hel, fra meldingen til administratoren. Hvis det fortsatt ikke går, be om en ny invitasjon.
enrol-error-invite-version = Denne invitasjonen er laget av en nyere Visitnotes: installer den nyere versjonen, og lim den inn igjen.
enrol-error-invite-url = Invitasjonen har ingen gyldig serveradresse: be administratoren om en ny invitasjon.
enrol-error-weak = Passordfrasen må ha minst 8 tegn: velg en lengre.
enrol-error-mismatch = De to passordfrasene er ulike: skriv den samme passordfrasen i begge feltene.
enrol-error-units = Skriv minst én avdeling.
enrol-error-profile-exists = Denne datamaskinen har allerede en Visitnotes-profil ({ $home }): lukk denne siden og åpne Visitnotes på nytt.
enrol-error-folder = Visitnotes kan ikke skrive i profilmappen { $dir }: be den som har ansvar for datamaskinen om å rette tillatelsene, eller start Visitnotes med en annen mappe (--home). Ingenting ble sendt.
enrol-error-invite-refused = Serveren godtar ikke denne invitasjonen: den er brukt allerede, er utløpt eller ble aldri laget der. Ingenting ble satt opp her. Be administratoren om en ny invitasjon og lim den inn her; det du skrev, er tatt vare på.
enrol-error-org-key-mismatch = Serverens organisasjonsnøkkel ({ $found }) er ikke den invitasjonen din oppgir ({ $expected }): dette er kanskje ikke organisasjonens server. Ingenting ble sendt. Si fra til administratoren før du prøver igjen.
enrol-error-server-has-org = Denne invitasjonen er for den første administratoren i en ny organisasjon, men serveren har allerede en organisasjon: be administratoren om en ny invitasjon.
enrol-error-server-has-no-org = Denne serveren har ingen organisasjon ennå: den første administratoren må melde seg inn før alle andre. Prøv igjen når det er gjort.
enrol-error-other-device = Serveren meldte inn en annen enhet enn denne: det er kanskje ikke organisasjonens server. Ingenting ble lagret her: si fra til administratoren.
enrol-error-unused = { $text } Invitasjonen er ikke brukt: rett dette og prøv igjen.
enrol-wait-title = Venter på administratoren
enrol-wait-intro = Denne datamaskinen er meldt inn som { $name }. Før du kan skrive notater, må administratoren godkjenne den.
enrol-wait-read = Les dette fingeravtrykket for administratoren, på telefon eller ansikt til ansikt. Administratoren sammenligner det med det på sin skjerm, gruppe for gruppe:
enrol-wait-fingerprint = Fingeravtrykket til denne datamaskinen
enrol-wait-checking = Denne siden sjekker med noen sekunders mellomrom og går videre av seg selv når du er godkjent.
enrol-wait-check = Sjekk igjen
enrol-wait-still = Venter fortsatt. Be administratoren om å godkjenne enheten med dette fingeravtrykket. Du kan lukke Visitnotes nå: innmeldingen er tatt vare på på denne datamaskinen. Åpne Visitnotes igjen senere; den spør om passordfrasen og sjekker på nytt.
enrol-wait-not-reached = Serveren kunne ikke spørres akkurat nå ({ $reason }). Innmeldingen er tatt vare på; siden prøver igjen.
enrol-refused-title = Innmeldingen ble ikke godkjent
enrol-refused = Serveren godtar ikke lenger denne datamaskinen: administratoren avviste innmeldingen (eller trakk tilbake enheten). Be om en ny invitasjon. For å bruke den, lukk Visitnotes og flytt profilmappen { $home } bort (eller slett den), og åpne Visitnotes igjen.
enrol-approved = Administratoren har godkjent denne datamaskinen, og den er synkronisert: du kan skrive notater nå.
enrol-approved-unsynced = Administratoren har godkjent denne datamaskinen, men den første synkroniseringen mislyktes: { $reason } Start en synkronisering fra siden Synkroniser.
enrol-backup-title = Ta sikkerhetskopi av organisasjonsnøkkelen
enrol-backup-intro = Du er den første administratoren, og organisasjonen er opprettet. Nøkkelen dens, som signerer medlemslisten, ble laget på denne datamaskinen og finnes ingen andre steder: dette er den eneste kopien.
enrol-backup-risk = Hvis denne datamaskinen blir borte, stjålet eller ødelagt før nøkkelen er sikkerhetskopiert eller en annen administrators enhet har den, kan ingen lenger legge til, godkjenne eller fjerne noen, og organisasjonen må begynne på nytt.
enrol-backup-how = Nøkkelen deles i andeler som skrives ut på papir. Hver andel alene sier ingenting om nøkkelen; et visst antall sammen gjenoppretter den. Gi hver utskrevne andel til en egen person du stoler på, som oppbevarer den hjemme, adskilt fra de andre.
enrol-backup-count = Antall andeler
enrol-backup-threshold = Andeler som trengs for å gjenopprette nøkkelen
enrol-backup-make = Lag andelene som skal skrives ut
enrol-backup-later = Senere
enrol-backup-later-hint = Det er risikabelt å hoppe over: til andelene er laget, minner administrasjonssiden deg på det. Lag dem senere på siden Organisasjonsnøkkel (Administrasjon).
enrol-backup-error-numbers = Velg mellom 2 og 20 andeler, og hvor mange som gjenoppretter nøkkelen: fra 2 til antall andeler.
enrol-shares-title = Andelene av organisasjonsnøkkelen
enrol-shares-intro = { $count ->
    [one] Én andel
   *[other] { $count } andeler
}; hvilke som helst { $threshold } av dem gjenoppretter organisasjonsnøkkelen (fingeravtrykk { $fingerprint }). Skriv ut denne siden nå: hver andel kommer på en egen side. De vises bare én gang: siden lagres ikke, og et nytt sett kan ikke kombineres med dette.
enrol-shares-print = Skriv dem ut med nettleserens utskriftskommando (Ctrl+P). Skriv deretter på hver utskrevne andel hvem som oppbevarer den, gi den personlig til vedkommende, og be dem oppbevare den på papir hjemme: ikke fotografert, skannet, sendt med e-post eller i en delt mappe. Behold ikke mer enn én andel selv.
enrol-shares-rebuild = Hvis nøkkelen noen gang går tapt, møtes { $threshold } av dem som har andeler, og en administrator skriver inn kodene deres på en innmeldt enhet (siden Organisasjonsnøkkel i administrasjonen).
enrol-share-heading = Organisasjonsnøkkel: andel { $n } av { $count }
enrol-share-explain = Hvilke som helst { $threshold } av { $count ->
    [one] den ene andelen
   *[other] de { $count } andelene
} gjenoppretter organisasjonsnøkkelen til Visitnotes (fingeravtrykk { $fingerprint }); færre sier ingenting om den. Oppbevar den på papir, på et eget sted, adskilt fra de andre andelene. Ikke fotografer, skann eller send den med e-post. Hvis den blir borte eller sett av andre, si fra til en administrator: de lager et nytt sett.
enrol-share-kept-by = Oppbevares av:
enrol-share-code = Andelskode (sett { $set })
enrol-share-qr = QR-kode for andel { $n }
enrol-shares-done = Jeg har skrevet ut alle
enrol-shares-done-hint = Bare når hver andel er på papir: denne siden kan ikke vises igjen.
enrol-shares-recorded = Andelene er meldt inn som laget. Gi hver av dem videre personlig.
enrol-units-check = Denne invitasjonen oppretter en ny organisasjon: se over avdelingene nedenfor, skriv passordfrasen to ganger og meld inn igjen.
enrol-wait-auto-off = Slutt å sjekke av seg selv
enrol-wait-auto-on = Sjekk av seg selv igjen
enrol-wait-manual = Denne siden sjekker bare når du trykker Sjekk igjen.
admin-backup-missing = Den eneste kopien av organisasjonsnøkkelen er på denne datamaskinen: ingen andeler er laget, og ingen annen administrators enhet har den. Hvis datamaskinen blir borte eller ødelagt, kan ingen endre medlemslisten igjen.
home-not-approved-wait = Fingeravtrykket til denne datamaskinen, og en sjekk av godkjenningen

## Råd som knapper (`templates::advice`): det et varsel eller en side ber
## deg gjøre, som knappen som gjør det, og spørsmålene før de to
## synkroniseringene som spør først.
advice-admin-sync = Synkroniser nå: signerer og publiserer en ny medlemsliste
advice-sync-from-start = Synkroniser fra starten …
advice-send-held = Send de tilbakeholdte notatene som de er …
advice-rewrap = Åpne siden «Krypter på nytt»
advice-revoke = Trekk tilbake en enhet på medlemslisten
advice-verify-audit = Kontroller revisjonsloggen
advice-import-org-key = Importer organisasjonsnøkkelen
advice-cancel = Avbryt: tilbake til synkroniseringssiden
advice-from-start-title = Synkronisere fra starten?
advice-from-start-what = En synkronisering fra starten ber serveren om alle notatene på nytt, fra det første, og kontrollerer hvert av dem som om det var nytt: et notat serveren har endret eller holdt tilbake, eller en kopi den har byttet ut, blir funnet igjen, og et varsel om noe serveren siden har rettet, forsvinner. Det kan ta litt tid med mange notater.
advice-from-start-kept = Ingenting på denne datamaskinen går tapt eller erstattes: et notat som er kontrollert før, beholdes slik det ble kontrollert, og notater som ikke er sendt ennå, sendes som ved enhver synkronisering.
advice-from-start-button = Synkroniser fra starten
advice-send-held-title = Sende de tilbakeholdte notatene som de er?
advice-send-held-what = { $n ->
    [one] Ett notat skrevet her er holdt tilbake:
   *[other] { $n } notater skrevet her er holdt tilbake:
} forseglet på denne datamaskinen, ikke sendt, fordi den nyeste medlemslisten her har gått ut.
advice-send-held-list = De er forseglet for leserne på medlemslisten versjon { $version }, som gikk ut { $expired }.
advice-send-held-risk-heading = Risikoen
advice-send-held-risk = Serveren kan holde tilbake en nyere liste: en som fjernet en leser (noen som har sluttet, eller en tapt enhet). Sendt som de er, kan disse notatene leses av alle den utløpte listen nevner, også den som er fjernet siden. Hvert av dem får en advarsel om at det ble sendt under en utløpt liste.
advice-send-held-better = Tryggere: be en administrator åpne Visitnotes og trykke Synkroniser nå (da signeres en ny liste), og synkroniser så her: notatene forsegles da på nytt for leserne på den nye listen.
advice-send-held-button = { $n ->
    [one] Send det tilbakeholdte notatet som det er
   *[other] Send de { $n } tilbakeholdte notatene som de er
}
advice-send-held-none = Ingen notater er holdt tilbake på denne datamaskinen: det er ingenting å sende.
advice-checkpoint = Signer et kontrollpunkt nå
advice-checkpoint-hint = Et kontrollpunkt signeres når denne enheten synkroniserer: det registrerer revisjonsloggen slik den er nå, så en senere kontroll finner enhver oppføring som er fjernet eller endret.
## Koordinatorenes side med bekymringer
nav-concerns = Bekymringer
concerns-title = Bekymringer i alle notater
concerns-intro = Alle bekymringer i notatene på denne datamaskinen: åpne først, så de alvorligste, så de som har vært åpne lengst. Hver lenker til notatet sitt, der du registrerer hva som ble gjort.
concerns-none = Ingen notater på denne datamaskinen har en bekymring. Bekymringer vises her når ledernes notater med bekymringer er synkronisert.
concerns-none-open = Ingen bekymring er åpen eller under arbeid: alle er avsluttet. Velg «Alle, også avsluttede» for å se dem.
concerns-none-filtered = Ingen bekymring passer med disse filtrene. Fjern filtrene for å se alle.
concerns-shown = { $n ->
    [one] Én bekymring vises.
   *[other] { $n } bekymringer vises.
}
concerns-apart = { $n ->
    [one] Én oppfølgingsregistrering vises ikke under en bekymring (notatet er ikke her, eller bekymringen er endret): se notatsidene.
   *[other] { $n } oppfølgingsregistreringer vises ikke under en bekymring (notatene er ikke her, eller bekymringene er endret): se notatsidene.
}
concerns-forbidden-title = Bare for koordinatorer
concerns-forbidden-text = Denne siden er for koordinatorer. Denne profilen tilhører ikke en koordinator i medlemslisten.
concerns-filter-heading = Filtrer bekymringene
concerns-filter-status = Status
concerns-filter-not-closed = Åpne eller under arbeid
concerns-filter-all = Alle, også avsluttede
concerns-filter-severity = Alvorlighet
concerns-severity-low = Alle
concerns-severity-medium = Middels eller mer
concerns-severity-high = Høy eller akutt
concerns-severity-urgent = Akutt
concerns-col-stands = Status
concerns-col-severity = Alvorlighet
concerns-col-concern = Bekymring
concerns-col-days = Åpen i
concerns-col-follow-up = Oppfølging
concerns-days = { $n ->
    [0] fra i dag
    [one] 1 dag
   *[other] { $n } dager
}
concerns-stands-by = siden { $date }, av { $by }
concerns-stands-leader = { $date }, ifølge notatet
concerns-note-link = Bekymring { $number } fra besøket { $date }
concerns-record = Registrer oppfølging

## Siden for organisasjonsnøkkelen
admin-nav-org-key = Organisasjonsnøkkel
org-key-title = Organisasjonsnøkkelen
org-key-held = Denne datamaskinen har organisasjonsnøkkelen (fingeravtrykk { $fingerprint }). Den signerer medlemslisten: den som har den, kan legge til, godkjenne og fjerne hvem som helst.
org-key-why-backup = Ha en kopi et annet sted enn på denne datamaskinen: blir den borte eller ødelagt og ingen annen administrators enhet har nøkkelen, kan ingen endre medlemslisten igjen. Lag andeler å skrive ut, eller en fil kryptert med en passordfrase, eller begge.
org-key-shares-heading = Andeler på papir
org-key-shares-once = Andelene vises én gang, på neste side, for utskrift; de lagres aldri på denne datamaskinen. Et nytt sett kan ikke kombineres med et tidligere.
org-key-export-heading = En fil kryptert med en passordfrase
org-key-export-explain = Nettleseren lagrer nøkkelen som en fil, kryptert med passordfrasen du velger her (minst 8 tegn). Hold filen og passordfrasen adskilt: på en minnepinne i en safe, passordfrasen i hodet eller i en forseglet konvolutt. En annen administrators enhet leser den inn på denne siden (Organisasjonsnøkkelen, under Administrasjon), med «Importer nøkkelen fra en fil».
org-key-export-passphrase = Passordfrase for filen
org-key-export-passphrase2 = Samme passordfrase igjen
org-key-export-understood = Jeg forstår: den som har denne filen og passordfrasen, kan signere organisasjonens medlemsliste med nøkkelen { $fingerprint }.
org-key-export-button = Lagre den krypterte nøkkelfilen
org-key-error-understood = Kryss av i boksen først: den sier hva dette steget gir fra seg. Ingenting ble gjort.
org-key-not-held = Denne datamaskinen har ikke organisasjonsnøkkelen (fingeravtrykket er { $fingerprint }): den kan ikke signere endringer i medlemslisten.
org-key-ways = Slik får du den over på denne datamaskinen:
org-key-way-admin = En annen administrator med nøkkelen på sin enhet gir den videre: be dem åpne administrasjonen eller synkronisere, og synkroniser så her.
org-key-way-shares = Nok personer med utskrevne andeler møtes her, og kodene deres skrives inn:
org-key-way-file = Fra en fil lagret med «Lagre den krypterte nøkkelfilen» på en annen administrators enhet, og passordfrasen til den:
org-key-import-heading = Importer nøkkelen fra en fil
org-key-import-explain = Velg filen som ble lagret med «Lagre den krypterte nøkkelfilen» på en administrators enhet, og skriv passordfrasen som ble valgt for den. Nøkkelen i den må ha fingeravtrykket { $fingerprint }, ellers beholdes ingenting.
org-key-import-file = Nøkkelfilen
org-key-import-file-other = Eller en annen nøkkelfil
org-key-import-file-hint = Høyst { $size } kB: en eksportert nøkkel er under 1 kB.
org-key-import-kept = { $name } er fortsatt valgt og trenger ikke velges på nytt: skriv passordfrasen igjen nedenfor, eller velg en annen fil.
org-key-import-passphrase = Passordfrasen til filen
org-key-import-understood = Behold nøkkelen fra denne filen (fingeravtrykk { $fingerprint }) på denne datamaskinen, som da kan signere medlemslisten.
org-key-import-button = Importer nøkkelen
org-key-imported = Organisasjonsnøkkelen ble importert fra { $name } og er nå lagret på denne datamaskinen (fingeravtrykk { $fingerprint }).
org-key-import-error-no-file = Velg nøkkelfilen. Ingenting ble importert.
org-key-import-error-too-large = { $name } er større enn { $size } kB: det er ikke en eksportert organisasjonsnøkkel. Velg filen som ble lagret med «Lagre den krypterte nøkkelfilen». Ingenting ble importert.
org-key-import-error-not-key = { $name } er ikke en organisasjonsnøkkel lagret av Visitnotes, eller den er skadet. Velg filen som ble lagret med «Lagre den krypterte nøkkelfilen». Ingenting ble importert.
org-key-import-error-other-org = { $name } inneholder nøkkelen til en annen organisasjon (fingeravtrykk { $found }), ikke denne organisasjonens ({ $expected }). Ingenting ble importert.
org-key-import-error-no-passphrase = Skriv passordfrasen som ble valgt da filen ble lagret. Ingenting ble importert.
org-key-import-error-passphrase = Denne passordfrasen åpner ikke { $name }. Skriv den igjen slik den ble valgt da filen ble lagret (store bokstaver og mellomrom teller). Ingenting ble importert.
org-key-import-error-not-admin = { $person } er ikke administrator på medlemslisten: organisasjonsnøkkelen hører bare hjemme på administratorenes enheter. Ingenting ble importert.
org-key-import-error-not-in-roster = Denne enheten står ikke på medlemslisten ennå: be en administrator godkjenne den, trykk Synkroniser nå, og importer nøkkelen igjen. Ingenting ble importert.
org-key-import-error-upload = Skjemaet kom ikke fram helt: gå tilbake til siden for organisasjonsnøkkelen og prøv igjen. Ingenting ble importert.
org-key-import-error-upload-too-large = Filen som ble valgt, er altfor stor til å være en eksportert organisasjonsnøkkel: gå tilbake til siden for organisasjonsnøkkelen og velg filen som ble lagret med «Lagre den krypterte nøkkelfilen». Ingenting ble importert.
org-key-recover-heading = Gjenoppbygg nøkkelen fra andeler
org-key-recover-explain = Skriv eller lim inn koden til hver andel (den begynner med VNS1), én per linje: så mange som andelene sier trengs. Nøkkelen de gjenoppbygger må ha fingeravtrykket over, ellers beholdes ingenting.
org-key-recover-codes = Andelskoder, én per linje
org-key-recover-codes-hint = Hver kode slik den står under «Andelskode», på en egen linje.
org-key-recover-understood = Behold den gjenoppbygde nøkkelen (fingeravtrykk { $fingerprint }) på denne datamaskinen, som da kan signere medlemslisten.
org-key-recover-button = Gjenoppbygg nøkkelen
org-key-recovered = Organisasjonsnøkkelen ble gjenoppbygd fra { $n ->
    [one] én andel
   *[other] { $n } andeler
} og er nå lagret på denne datamaskinen (fingeravtrykk { $fingerprint }): den kan signere medlemslisten igjen.
org-key-recovered-already = { $n ->
    [one] Andelen gjenoppbygger
   *[other] De { $n } andelene gjenoppbygger
} organisasjonsnøkkelen (fingeravtrykk { $fingerprint }), som denne datamaskinen allerede har: ingenting ble endret.

## En ny enhet for en person
admin-add-device-link = Legg til en enhet for { $name }
admin-add-device-title = En ny enhet for { $name }
admin-add-device-explain = Dette lager en invitasjon for en annen enhet for { $name } (en ny telefon eller datamaskin, eller en som erstatter en tapt enhet). Når den er innrullert og du godkjenner den, tilhører den { $name }: den leser notatene { $name } kan lese, og skriver som { $name }.
admin-add-device-lost = Hvis enheten den erstatter er tapt eller stjålet, trekk også tilbake den i medlemslisten.
admin-add-device-confirm = Lag invitasjonen for { $name }
admin-add-device-nobody = Medlemslisten har ingen aktiv person med denne id-en: personen kan være fjernet. Ingenting ble laget.
admin-device-invite-made = Denne invitasjonen gjelder en ny enhet for { $name }, til { $until }. Når den er innrullert, godkjenn den under Invitasjoner og godkjenninger.

## The phone library (mobile/): what the app shows as it is.

error-locked = Visitnotes er låst: skriv passordfrasen for å fortsette.
mobile-enrolled-waiting = Innmeldt. Les opp enhetens fingeravtrykk for administratoren din, og vent så på godkjenningen.
mobile-enrolled-first = Du er den første administratoren: organisasjonsnøkkelen ble laget på denne enheten.
mobile-waiting-for-approval = Venter på at en administrator godkjenner denne enheten.
mobile-approved = Godkjent: synkroniser for å hente medlemslisten og notatene dine.
mobile-received-by = Mottatt av { $names }
