# Visitnotes web app, English. Every message here has its twin in nb.ftl
# (a unit test checks).

app-name = Visitnotes
skip-to-content = Skip to the content
nav-label = Main
nav-home = Home
nav-new-note = Write a new note
nav-notes = All notes
nav-report = Report
sync-button = Sync now
lock-button = Lock
quit-button = Quit
footer-local = This page comes from Visitnotes on this computer. Notes are encrypted here before they leave it.
and = and
none = None
no-unit = no unit

## Refusals
refused-title = Not allowed
refused-host = This address is not the one Visitnotes listens on. Open Visitnotes again from your computer's menu of programs: it opens the browser on the right address.
refused-method = This kind of request is not accepted here.
refused-no-session = This browser has not been let in, or another browser took over since. Open Visitnotes again from your computer's menu of programs: it opens the browser on a new address, which works once.
refused-origin = This request did not come from a page of this app, so it was refused. Nothing was changed.
refused-csrf = This form is out of date or did not come from this page. Nothing was changed: go back, reload the page and send it again.
not-found-title = Page not found
not-found-text = There is no such page here: the address may be mistyped, or the page was removed. The links at the top, and the home page below, lead on.

## Quit
quit-title = Stop Visitnotes on this computer?
quit-explain = Every tab of Visitnotes stops working, and the keys are dropped from memory. Your notes stay on this computer, encrypted.
quit-drafts = A note form open in another tab keeps what was typed as a draft a few seconds after typing stops, while Visitnotes is unlocked; anything else typed in other tabs and not sent is lost.
quit-confirm = Stop Visitnotes
quit-keep = Keep it open
quit-stopped-title = Visitnotes has stopped
quit-stopped-text = Visitnotes has stopped on this computer; you can close this tab. To go on, open Visitnotes again from your computer's menu of programs.
error-title = Something went wrong

## Unlocking
unlock-title = Unlock Visitnotes
unlock-passphrase = Passphrase
unlock-button = Unlock
unlock-wrong = Wrong passphrase: nothing was changed. Try again.
unlock-resume = Visitnotes locked itself while you were away, before your note was saved. What you typed is in this page: unlock, and the form comes back with it.
unlock-resume-follow-up = Visitnotes locked itself while you were away, before your follow-up was recorded. What you typed is in this page: unlock, and the follow-up form comes back with it.
unlock-follow-up-back = Your follow-up is back in its form below, not recorded yet: check it and record it.
unlock-idle-hint = The keys stay in this program's memory while it is unlocked. It locks itself after { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
} without use, and when you press Lock.
locked-flash = Locked: the keys are gone from memory. Type your passphrase to go on.
locked-idle-flash = Visitnotes locked itself after a while without use and hid the page: the keys are gone from memory. Type your passphrase to go on.
low-disk = This computer's disk is almost full (only { $mb } MB free): a note that cannot be stored is refused. Free some space before you write; what is stored already stays safe.

## Home
home-title = Hello, { $name }
home-not-approved = This device is not approved yet. Ask an administrator to approve it, then press Sync now.
home-notes-written = Notes you wrote
home-outbox = Waiting to be sent
home-last-sync = Last sync
home-never-synced = never
home-outbox-hint = { $n ->
    [one] One change is kept on this computer until you press Sync now.
   *[other] { $n } changes are kept on this computer until you press Sync now.
}
home-not-uploaded = The server would not store one of your notes: { $reason }. It is kept here.
home-all-notes = { $n ->
    [one] Read the one note on this device
   *[other] Read all { $n } notes on this device
}
home-your-notes = Your notes
note-back-to-all = ← All notes
note-back-to-yours = ← Your notes
col-date = Visit date
col-units = Units
col-concern = Gravest concern
col-author = Written by
col-state = State
state-outbox = not sent yet
state-synced = synced
state-refused = not stored by the server: { $reason }
state-held = held back: the list of members has expired
state-kept = sent under an expired list of members
alerts-heading = { $n ->
    [one] One warning needs attention
   *[other] { $n } warnings need attention
}
alerts-see-note = See the note
alerts-most-serious = The most serious:
alerts-details = See every warning, and what to do
alerts-title = Warnings
alerts-intro = Each one stays until what caused it is fixed: nobody can dismiss a warning.
alerts-unreadable-heading = The warnings could not be read
alerts-unreadable = Visitnotes could not read this computer's warnings ({ $error }), so it cannot say that nothing looks wrong. Lock, unlock again and reload; if this stays, tell your coordinator before you trust what you see.
alerts-none = No warnings: nothing on this computer looks wrong.
alerts-since = First seen: { $when }.
alerts-todo = What to do

## Alerts in words (`ops::alerts`: the web pages, and `visitnotes alerts` in English)
alert-note-read = the note of the visit on { $date } to { $units } (note { $id })
alert-note-unread = a note this device has not read (note { $id })
alert-no-unit = no unit
alert-someone = someone not in the list of members ({ $id })
alert-unknown-device = a device not in the list of members ({ $id })
alert-device-of = { $name }'s device
alert-device-of-numbered = { $name }'s device { $id }
alert-unknown-time = an unknown time
alert-no-reason = no reason recorded
alert-rejected-follow-up = A follow-up record signed as { $person } (record { $record }, revision { $revision }) failed verification and is not shown or counted: { $reason }.
alert-rejected-follow-up-about = A follow-up record signed as { $person } on a note by { $about } (record { $record }, revision { $revision }) failed verification and is not shown or counted: { $reason }.
alert-rejected-follow-up-todo = Tell your administrator: the server may have changed or forged it, or someone who is not a coordinator made it. Once the server is fixed, a sync from the start checks it again and this warning ends.
alert-rejected-note = { $note } by { $person } (revision { $revision }) failed verification and is not shown or counted: { $reason }.
alert-rejected-note-todo = Tell your administrator: the server may have changed or forged it. Once the server is fixed, a sync from the start checks it again and this warning ends.
alert-gap = { $n } { $n ->
    [one] note
   *[other] notes
} by { $person } { $n ->
    [one] is
   *[other] are
} missing on this device (numbers { $numbers }).
alert-gap-todo = They may not be synced yet: ask { $person } to open Visitnotes and press Sync now, then sync here. If they stay missing, the server may be holding them back: tell your administrator.
alert-roster-expired = The newest list of members this device could get (version { $version }, signed { $signed }) expired on { $expires }{ $held ->
    [0] {""}
    [one] ; 1 note written since is kept here, sealed, and not uploaded
   *[other] ; { $held } notes written since are kept here, sealed, and not uploaded
}.
alert-roster-expired-todo-admin = Sync: on this device it signs a fresh list. If this warning stays, the server does not serve the list you signed: tell the server's operator.
alert-roster-expired-todo = The server may be holding back a newer list (one that removes a reader, say). Ask an administrator to open Visitnotes and press Sync now, which signs a fresh list, then sync here: notes held back are then sealed again for the fresh list's readers and sent. You can also send them as they are, to the readers of the expired list (a warning is kept with each). This warning ends when a fresh list arrives.
alert-roster = The list of members from the server was refused: { $detail }.
alert-roster-todo = Nothing is uploaded until it verifies: tell your administrator. This warning ends at the first sync that gets a list that verifies.
alert-changed-copy = The server served a different copy of { $note }: { $detail }. The copy checked before is kept.
alert-changed-copy-by = The server served a different copy of { $note } by { $person }: { $detail }. The copy checked before is kept.
alert-changed-copy-todo = Tell your administrator: the server may have been tampered with. This warning ends when a sync from the start gets the right copy again.
alert-rewrap = { $note } could not be re-encrypted: { $detail }. The server's copy still opens for the readers it had.
alert-rewrap-by = { $note } by { $person } could not be re-encrypted: { $detail }. The server's copy still opens for the readers it had.
alert-rewrap-todo = Tell a coordinator; this warning ends when a rewrap (on a coordinator's Rewrap page) re-encrypts it.
alert-restore = The server seems to have been restored from an older backup: { $detail }. This device keeps every note it has, and has not finished pulling everything again.
alert-restore-todo = Sync; this warning ends when it has pulled to the end. Tell your administrator: notes written since the backup come back as their writers' devices sync.
alert-roster-behind = The server serves an older list of members than this device holds ({ $detail }): it seems restored from an older backup. The older list is not used.
alert-roster-behind-todo = Ask an administrator to open Visitnotes and press Sync now, which publishes the current list again. Until then notes written here wait on this device; this warning ends when the server has the current list.
alert-audit = The server's audit log does not match what was signed: { $detail }.
alert-audit-todo = Someone with the server's database removed or changed entries of its audit log. Tell the server's operator, and keep this device: the checkpoint it signed is the evidence. This warning ends when a check of the audit log (an administrator's Audit log page) finds it intact again.
alert-forged-head = The server served a statement in the name of { $person }'s device that does not verify: { $detail }.
alert-forged-head-todo = Tell your administrator: the server may have been tampered with. This warning ends when the server serves the device's own statement again.
alert-forged-receipt = The server served a delivery receipt in the name of { $person } that was refused: { $detail }.
alert-forged-receipt-todo = It is not counted. Tell your administrator: the server may have been tampered with. This warning ends when the server serves that coordinator's own receipt again.
alert-enrolment = A device waiting for approval sent keys that do not match its invite: { $detail }.
alert-enrolment-todo = Do not approve it: the keys were changed on the way. Send the person a new invite; this warning ends when the enrolment is no longer waiting.
alert-org-key-grant = The server handed this device an organisation key that is not this organisation's: { $detail }.
alert-org-key-grant-todo = It was not kept. Tell another administrator; the server or its operator may be tampering. This warning ends when this device holds the organisation key (a grant that checks out, or the key imported or recovered).
alert-other = { $detail }.
alert-other-todo = Tell your administrator.

## Why a kept alert's list, statement, receipt, enrolment, rewrap or key
## was refused (`ops::alerts::Detail`): the `{ $detail }` of the alerts.
## A parser's own reason (English only) is kept in the store, not shown.
alert-detail-roster-bad-signature = its signature does not verify: it was not signed by the organisation key
alert-detail-roster-wrong-key = it is signed by the key { $found }, not by this organisation's key { $pinned }
alert-detail-roster-rollback = it went backwards: version { $got } is older than version { $seen }, already seen
alert-detail-roster-malformed = it does not read as a list of members
alert-detail-roster-two-versions = the server served two different lists as version { $version }
alert-detail-roster-served-older = this device holds version { $held }; the server answered that it took it, and still serves version { $served }
alert-detail-head-unknown-device = it names device { $device }, which is not in the list of members
alert-detail-head-bad-signature = its signature does not verify: it was altered or forged
alert-detail-head-malformed = it does not read as a device's statement
alert-detail-receipt-unknown-device = it names device { $device }, which is not in the list of members
alert-detail-receipt-not-coordinator = it is signed by device { $device }, which is not a coordinator's
alert-detail-receipt-bad-signature = its signature does not verify: it was altered or forged
alert-detail-receipt-malformed = it does not read as a receipt
alert-detail-receipt-other-note = it names as note number { $seq } a note this device did not write under that number
alert-detail-enrolment-code = its enrolment code does not match the invite
alert-detail-rewrap-unopened = it does not verify or does not open here: { $reason }
alert-detail-rewrap-tombstone = a deleted note has nothing to re-encrypt
alert-detail-rewrap-not-allowed = only an active coordinator's device can re-encrypt notes
alert-detail-rewrap-encrypt = re-encrypting its key failed
alert-detail-grant-not-a-key = handed over by { $from }, it does not open with this device's key as an organisation key
alert-detail-grant-other-key = handed over by { $from }, it is the key with fingerprint { $found }, not this organisation's ({ $expected })
alert-missing-notes = { $who } says it had sent notes up to number { $last } by { $signed }, but this device has { $held ->
    [0] none of them
   *[other] only up to number { $held }
}: { $missing } { $missing ->
    [one] note is
   *[other] notes are
} missing.
alert-missing-notes-todo = A sync from the start asks the server for every note again. If they stay missing, the server is holding them back: tell your administrator.
alert-forked-device = { $who } signed its note number { $last } as a different note from the one this device holds under that number: two histories were signed with its key.
alert-forked-device-todo = Tell your administrator: a copy of the device's keys may be in other hands, and an administrator may need to revoke the device.
alert-forked-device-todo-named = Tell an administrator ({ $admins }): a copy of the device's keys may be in other hands, and an administrator may need to revoke the device.
alert-silent-device = { $who } was last heard from on { $signed }.
alert-silent-device-watching = { $who } has not been heard from since this device began watching it on { $first }.
alert-silent-device-todo = Ask { $person } whether they have synced since. If they have, the server may be holding back their notes: tell your administrator.
alert-roster-withheld = { $who } has seen version { $seen } of the list of members, but the server gives this device only version { $served }: it may be holding back a change, such as a revoked device.
alert-roster-withheld-todo = Tell your administrator. Until this ends, notes by a device that the newer list revoked may be shown here as valid; the warning ends at the first sync that gets the newer list.
alert-purged-current = The server served the current version (revision { $revision }) of { $note } by { $person } without its content, as if it had been purged; the current version of a note that was not deleted is never purged.
alert-purged-current-older = The server served the current version (revision { $revision }) of { $note } by { $person } without its content, as if it had been purged; the current version of a note that was not deleted is never purged. Revision { $older } is not shown in its place.
alert-purged-current-todo = Tell your administrator: the server may be hiding this note's latest version. This warning ends when a sync from the start gets its content.
alert-early-purge = Revision { $revision } of { $note } by { $person } was purged less than { $days } days after revision { $next } replaced it (on { $replaced }): older versions are kept that long.
alert-early-purge-todo = The current version is not affected. Ask your administrator whether the server's retention was shortened (readers then need { $env } set to the same); if not, the server is discarding history early.
alert-no-receipt = No coordinator has confirmed receiving { $note }{ $urgent ->
    [yes] , with an urgent concern,
   *[no] {""}
} sent on { $sent } (revision { $revision }).
alert-no-receipt-todo = Ask a coordinator to open Visitnotes and press Sync now. If they have and this stays, the server may be holding your note back from them: tell your administrator{ $urgent ->
    [yes] , and pass on the urgent concern another way now
   *[no] {""}
}.
error-unreachable = Cannot reach the server at { $url }. Check the network; nothing was lost, try again later.
error-interrupted = The connection to the server at { $url } broke off. Check the network; nothing was lost, try again later.
error-server-full = The server's disk is full: your notes stay in your outbox on this device. Tell the server's operator, then sync again once they have freed space.
error-roster-expired = The newest list of members (version { $version }) expired on { $expired }: encrypting to it could give a removed reader the notes. Ask an administrator to sync (it signs a fresh list), then try again.
error-roster-refused = The list of members from the server was refused: { $reason }. Nothing was uploaded; tell your administrator.
error-roster-equivocation = The server presented two different lists of members as version { $version }: it may be compromised. Nothing was uploaded; tell your administrator.
error-refused = The server refused the request: { $reason }
error-not-approved = This device is not in the list of members yet: ask an administrator to approve it, then sync.
error-in-english = { $cause }
error-with-cause = { $text } (Cause: { $cause })
error-because = { $text } (Cause: { $cause })
error-no-profile = There is no Visitnotes profile in { $home }: enrol this device first: open Visitnotes and paste your invite.
error-profile-damaged = This profile's settings ({ $path }) are damaged: restore the profile folder from a backup, or enrol this device again in a new one.
error-corrupt-keys = The key file { $file } is damaged, and nothing was changed: restore it from a backup of the profile folder.
error-no-roster = This device has no list of members yet: press Sync now once it has been approved.
error-seal-failed = The note could not be sealed, and nothing was saved.
error-encrypt-failed = Encrypting failed, and nothing was written: try again, and if it fails again tell whoever supports your Visitnotes.
error-local-store = This computer's store of notes failed.
error-local-disk-full = This computer's disk is full, so nothing was stored. Free space on this computer, then try again.
error-no-org-key = This needs the organisation key, which is on an administrator's device. An administrator can import it on the Organisation key page of Administration.
error-id-too-short = "{ $given }" is too short: give at least { $min ->
    [one] one character
   *[other] { $min } characters
} of the note's id.
error-id-ambiguous = { $prefix } is the start of { $notes ->
    [one] one note's id
   *[other] { $notes } notes' ids
}: give more of the id.
error-note-deleted = Note { $id } was deleted: there is nothing left to change.
error-not-coordinator = Only coordinators record follow-up on concerns: ask a coordinator, or tell them what was done.
error-ambiguous = "{ $query }" matches more than one: { $matches }. Give more of the name, or the start of the id shown.
error-not-found = Nothing matches "{ $query }": give a name, or the start of an id as the list of members shows them.
error-roster-not-published-revoked = The server refuses { $person }'s device already, but the new list of members could not be published. Nothing is lost: do the same again to finish it. Until then administrators' devices warn that the server says more than the list.
error-roster-not-published-removed = The server refuses { $person } already, but the new list of members could not be published. Nothing is lost: do the same again to finish it. Until then administrators' devices warn that the server says more than the list.
error-head-not-uploaded = Version { $version } of the list of members is signed and published, but this device's signed statement naming it could not be uploaded: press Sync now soon, so that a member whom the server keeps on an older list is warned.
error-io-read = Cannot read { $path }: check that it is there and that you may read it.
error-io-write = Cannot write { $path }: check that its folder is there, that you may write in it, and that the disk has room.
error-io-create-folder = Cannot create the folder { $path }: check that you may write where it goes.
error-bad-server-response = The server's answer is not valid: nothing was changed here. Try again later; if it stays so, tell the server's operator.
follow-up-refused-deleted = Note { $note } was deleted by its author: there is nothing to follow up.
follow-up-refused-not-stored = Note { $note } was never stored on the server (it refused it): follow up with its author.
follow-up-refused-no-concern = { $count ->
    [0] Note { $note } records no concern: there is nothing to follow up.
    [one] Note { $note } records one concern: give 1 as its number.
   *[other] Note { $note } records { $count } concerns: give a number from 1 to { $count }.
}
admin-error-not-admin = This device is not an administrator's: administration runs on an administrator's device.
admin-error-rewrap-coordinator = Rewrapping runs on a coordinator's device, which can read the notes: do it there.
admin-error-no-role = { $name } holds no role in the list of members, so another device of theirs would have none: invite them as a new member.
admin-error-nothing-chosen = No device was chosen to approve: choose one of those waiting.
admin-error-invite-without-role = The invite this device kept for { $name } names no role: reject the enrolment and make a new invite. Nothing was approved.
admin-error-member-gone = { $person } is not in the list of members: nothing was signed. Look at the list again.
admin-error-no-active-device = { $name } has no active device: there is nothing to revoke.
org-key-error-device-key = { $person }'s device { $device } has a key that is not valid: the organisation key was not sealed to it. Tell whoever supports your Visitnotes.
org-key-error-not-pinned = The organisation key on this device is not the one it pinned at enrolment: nothing was signed. Import your organisation's key on the Organisation key page of Administration.

## The report (coordinators)
report-title = Report
report-intro = Figures for the humanitarian dialogue and the yearly report, made on this computer from the notes it holds. Nothing is sent anywhere.
report-form-heading = Choose the report
report-dates-hint = The period, both days included: day, month and year, for example 27.11.2026.
report-from = From
report-to = Until
report-by = Figures over time by
report-by-month = Month
report-by-quarter = Quarter
report-by-year = Year
report-lang = Language of the report
report-text = Include the free text
report-text-hint = Visit summaries, concern descriptions and tracing notes. A report with text may quote people: do not share it.
report-text-warning = This report includes the free text: do not share it.
report-show = Show the report
report-downloads = Save the report
report-format-html = As a web page (HTML, prints well)
report-format-markdown = As text (Markdown)
report-format-csv = As a spreadsheet (CSV)
report-format-json = As data (JSON)
report-shown = { $n ->
    [one] The report below counts one visit.
   *[other] The report below counts { $n } visits.
}
report-error-from-missing = Give the first day of the period.
report-error-to-missing = Give the last day of the period.
report-error-by = Choose month, quarter or year.
report-error-format = There is no such format: use one of the links on the report page.

## The reports' labels (`visitnotes report`, and the report page)
report-label-title = Visit report
report-label-period = Period
report-label-generated = Generated
report-label-totals = Totals
report-label-visits = Visits
report-label-volunteers = Volunteers (visit-days)
report-label-people-met = People met
report-label-shared-events = Shared events
report-label-units = Units visited
report-label-unit = Unit
report-label-activities = Activities
report-label-activity = Activity
report-label-count = Count
report-label-themes = Themes raised
report-label-theme = Theme
report-label-share = Share of visits
report-label-themes-over-time = Themes over time
report-label-visits-per-period = Visits per period
report-label-concerns = Concerns
report-label-severity = Severity
report-label-status = Follow-up
report-label-date = Date
report-label-description = Description
report-label-days-to-report = Days from visit to report
report-label-days-to-closure = Days from visit to closure
report-label-median = median
report-label-max = max
report-label-open-concerns = Open concerns
report-label-none = none
report-label-tracing = Tracing requests
report-label-tracing-requests = Requests
report-label-positive = Positive changes
report-label-positive-visits = Visits where a positive change was noted
report-label-excluded = Excluded notes
report-label-excluded-note = These notes failed verification and are not counted:
report-label-integrity = Integrity warnings
report-label-integrity-note = When this report was made, these warnings were unresolved on the device that made it; the figures may be incomplete:
report-label-summaries = Summaries
report-label-concerns-by-severity = Concerns by severity
report-label-by-status = By follow-up status
report-label-figure = Figure
report-label-no-reported-concerns = no reported concerns to measure
report-label-no-closed-concerns = no closed concerns to measure
report-label-with-follow-up-record = Concerns with a coordinator's follow-up record
report-label-of = of
report-label-last-follow-up = Last follow-up
# Why a note was left out of a report. A note that failed verification
# is named by the reason this device recorded (the verifier's words).
report-excluded-rejected = { $detail }
report-excluded-rejected-unexplained = failed verification
report-excluded-follow-up-rejected = a coordinator's follow-up record that failed verification, not used: { $detail }
report-excluded-not-addressed = not encrypted to this device (ask for a rewrap, then sync --from-start)
report-excluded-follow-up-not-addressed = a coordinator's follow-up record not encrypted to this device, not used (ask for a rewrap, then sync --from-start)

## Notes
notes-title = All notes
notes-none = There are no notes on this device yet. Press Sync now to fetch new ones.
note-title = Visit on { $date } to { $units }
note-meta = Written by { $author }, version { $revision }
note-edit = Change this note
note-delete = Delete this note
note-not-found = There is no such note on this device. Press Sync now to fetch new notes.
note-unshown-title = This note is not shown
note-unshown-deleted = { $author } deleted this note.
note-unshown-rejected = This note, signed as { $author }, failed verification on this device and is not shown: { $reason }
note-unshown-not-addressed = This note by { $author } is on this device but not encrypted to it: it was written before this device became one of its readers. Ask a coordinator to rewrap the notes (on the Rewrap page), then sync from the start (on the Sync page).
note-unshown-metadata-only = This device receives only who wrote other people's notes and when, not what is in them: it is an administrator's device, not a coordinator's. This note was written by { $author }.
note-unshown-purged = The server sent this note by { $author } without its content, saying it was removed under the retention policy or is not for this device. It is not shown; see the alerts.
note-not-stored = The server would not store this note ({ $reason }). It is kept on this computer: write it again as a new note.
note-not-author = Only the person who wrote a note can change or delete it.
note-saved = Saved: { $what }. It is encrypted on this computer and sent at the next sync.
note-saved-held = Saved: { $what }. It is encrypted on this computer, but not sent yet: see why below.
note-held = Not sent yet: this note is kept and sealed on this computer, but the newest list of members here (version { $version }) expired on { $expired }, and the server may be holding back a newer one. Press Sync now: if it brings a fresh list, the note is sealed again for its readers and sent. Otherwise ask an administrator to open Visitnotes and press Sync now (that signs a fresh list), or send it as it is (the button below asks first).
note-kept = Sent under an expired list of members: this note was sealed under the list of members version { $version }, which had expired on { $expired }, and sent as it was on { $sent } because sending under the expired list was chosen. It is encrypted to the readers that list names, who may no longer be the current ones.
note-kept-words = A warning kept with this note: { $words }
time-unknown = an unknown time
note-deleted = The note was deleted on this computer. The deletion reaches the server at the next sync.
concern-consent-yes = The person agreed to follow-up.
concern-consent-no = The person did not agree to follow-up.
delete-title = Delete this note?
delete-explain = This cannot be undone. The note's text is removed from this computer, and a signed deletion is sent at the next sync.
delete-confirm = Yes, delete the note
delete-keep = No, keep it

## The note form
form-new-title = New visit note
form-edit-title = Change a visit note
form-not-saved = The note was not saved yet: correct what is marked below. Everything you typed is kept.
form-visit = The visit
form-date = Visit date
form-date-hint = Day, month and year, for example 27.11.2026 or 27/11/2026.
form-units = Units visited
form-unit-free = Unit visited
form-volunteers = Volunteers
form-volunteers-hint = How many of you visited, you included.
form-people-met = People met
form-people-met-hint = A number only: never a name.
form-activities = Activities
form-themes = Themes raised
form-other-themes = Other themes
form-other-themes-hint = A few words each, one per line, without names.
form-concerns = Concerns
form-concerns-hint = A concern is something a coordinator may need to follow up. Add one for each; without names.
form-concern-n = Concern { $n }
form-severity = How serious
form-concern-text = What the concern is
form-concern-text-hint = Without names.
form-consent = The person agreed to follow-up
form-consent-hint = Tick only if the person said yes to being followed up.
form-follow-up = Follow-up
form-reported-to = Reported to
form-reported-to-hint = A role, not a name, for example "centre health service". Leave empty if not reported.
form-reported-on = Reported on
form-closed-on = Closed on
form-optional-date-hint = A date, or empty.
form-remove-concern = Remove concern { $n }
form-add-concern = Add a concern
form-tracing = Tracing requests
form-tracing-count = Tracing requests
form-tracing-note = What was asked
form-no-names = Without names.
form-summary = Summary
form-language = Language of the text
form-save = Save the note
form-leave = Leave (the draft is kept)
draft-keep = Keep as draft
draft-kept = The draft is kept, encrypted on this computer.
draft-restored = Your draft from { $when } is back, as you left it.
draft-discard = Discard the draft and start again
draft-discarded = The draft was discarded.
draft-saved-while-typing = Draft kept at { $time }.
home-drafts-heading = Not saved yet
home-draft-new = A new note you started, kept { $when }.
home-draft-edit = Changes to a note you started, kept { $when }.
home-draft-continue = Continue writing

severity-low = Low
severity-medium = Medium
severity-high = High
severity-urgent = Urgent
follow-up-open = Open
follow-up-in_progress = In progress
follow-up-closed = Closed

## Errors next to fields
error-date = "{ $value }" is not a date: write day, month and year, for example 27.11.2026.
error-future-date = This date is in the future: give the day of the visit.
error-count = "{ $value }" is not a number: write a whole number, for example 4.
error-count-negative = A number of people cannot be below 0.
error-count-implausible = This number is too large to be right.
error-severity = Choose how serious the concern is.
error-empty-note = The note is empty: give at least the unit visited and who was met, or a summary.
error-no-unit = Tick at least one unit.
error-unknown-unit = { $unit } is not one of the organisation's units.
error-too-long = This text is too long (at most 20,000 characters).
error-language = Choose the language of the text.
error-empty-concern = Say what the concern is, or remove it.

## Sync
sync-title = Sync
sync-idle = Press the button to send your notes and fetch new ones.
sync-locked = The profile was locked before the sync began: unlock it and press Sync now again.
sync-running = { $n ->
    [0] Syncing…
    [one] Syncing… one new note received so far.
   *[other] Syncing… { $n } new notes received so far.
}
sync-running-hint = This page updates itself. You can keep it open or go on.
sync-done = Sync finished at { $when }.
sync-pushed = { $n ->
    [0] Nothing was waiting to be sent.
    [one] One change was sent.
   *[other] { $n } changes were sent.
}
sync-received-from = From { $name }: { $what }.
sync-received-new = { $n ->
    [one] one new note
   *[other] { $n } new notes
}
sync-received-changed = { $n ->
    [one] one changed note
   *[other] { $n } changed notes
}
sync-received-deleted = { $n ->
    [one] one deleted note
   *[other] { $n } deleted notes
}
sync-received-follow-ups = { $n ->
    [one] one follow-up entry
   *[other] { $n } follow-up entries
}
sync-received-nothing = Nothing new from others.
sync-not-addressed = { $n ->
    [one] One note was written before this device joined and cannot be read here yet: ask a coordinator to re-encrypt it.
   *[other] { $n } notes were written before this device joined and cannot be read here yet: ask a coordinator to re-encrypt them.
}
sync-refused = The server would not store a note: { $reason }. It is kept on this computer.
sync-restored = The server seems to have been restored from an older backup ({ $why }). This computer fetched everything again and kept every note it had. Tell your administrator.
sync-reuploaded = { $n ->
    [one] One note the server had lost was sent again from this computer.
   *[other] { $n } notes the server had lost were sent again from this computer.
}
sync-held = { $n ->
    [one] One note is kept on this computer and not sent: the list of members has expired. Ask an administrator to sync.
   *[other] { $n } notes are kept on this computer and not sent: the list of members has expired. Ask an administrator to sync.
}
sync-waiting = { $n ->
    [one] One note waits on this computer until the server has the current list of members. Ask an administrator to sync.
   *[other] { $n } notes wait on this computer until the server has the current list of members. Ask an administrator to sync.
}
sync-all-well = Everything is up to date.
sync-failed = The sync at { $when } did not finish.
sync-failed-hint = Nothing is lost: what was not sent is still kept here. Try again when the connection is back.
sync-org-key-received = The organisation key (fingerprint { $fingerprint }), handed over by { $from }, is on this computer now: it can sign the list of members.
sync-org-key-refused = The organisation key the server handed over was refused: { $why }. It was not kept; tell another administrator.
sync-not-reuploaded = The server had lost a note of this computer and would not take it again: { $reason }. It stays on this computer; tell your administrator.
sync-republished = The server had an older list of members (version { $old }; it seems restored from an older backup): this computer published the current one (version { $version }) again.
sync-warning-roster-not-renewed = The list of members is near its expiry and could not be signed again: { $error }. The next sync tries again.
sync-warning-audit-log-restored = The server's audit log was restored with it: entries { $first } to { $last } of the log this computer had signed a checkpoint of ({ $signed }) are gone. { $entries ->
    [one] The one entry the log holds now chains intact,
   *[other] The { $entries } entries the log holds now chain intact,
} and a new checkpoint is signed over them.
sync-warning-no-audit-checkpoint = No checkpoint of the server's audit log was signed: { $error }.
sync-warning-upkeep-failed = The sync is done, but what an administrator's device does after it did not finish: { $error }. The next sync tries again.

## Why the server seems restored from an older backup: on the sync page, in
## the alert, and (in English) from `visitnotes sync`.

restored-other-store = it answers as another store than before (its database was replaced)
restored-emptied = it no longer holds any of the notes this device had read from it
restored-ends-before = its notes now end at number { $head }, but this device had already read up to number { $cursor }
restored-other-note = the note it now holds at number { $cursor } is not the one this device read there
restored-last-read-gone = it no longer holds the note this device read last (number { $cursor })

## Why a copy of a revision seen before is refused: in the alert, and (in
## English) in `sync --json`.

changed-copy-other-content = the server now serves different content for a revision already seen
changed-copy-damaged = a damaged copy of a revision already seen: { $error }

## Months
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

## Activities
activity-conversation = Conversation
activity-conversation-hint = Talking with people, one to one or in a group.
activity-games = Games
activity-games-hint = Board games, cards and the like.
activity-sports = Sports
activity-sports-hint = Football, table tennis, exercise together.
activity-bingo = Bingo
activity-bingo-hint = A bingo session.
activity-shared_event = Shared event
activity-shared_event-hint = A meal, a celebration or another event with the people held.
activity-other = Other
activity-other-hint = Anything else done together.

## Themes
theme-physical_health = Physical health
theme-physical_health-hint = Illness, pain, injuries, access to a doctor or medicine.
theme-mental_health = Mental health
theme-mental_health-hint = Anxiety, sleeplessness, depression, access to a psychologist.
theme-self_harm_or_suicide_risk = Self-harm or suicide risk
theme-self_harm_or_suicide_risk-hint = Thoughts or acts of self-harm or suicide: also add a concern.
theme-hunger_strike = Hunger strike
theme-hunger_strike-hint = Refusing food or drink, or saying they will.
theme-isolation_security_unit = Isolation / security unit
theme-isolation_security_unit-hint = Being kept apart from others, in the security unit or elsewhere.
theme-lock_in = Lock-in
theme-lock_in-hint = Being locked in the room or unit, for example in the evening.
theme-body_search = Body search
theme-body_search-hint = Searches of the body or of belongings.
theme-phone_and_internet_access = Phone and internet access
theme-phone_and_internet_access-hint = Calls, mobile phones, internet, contact with family or lawyers.
theme-information_about_case = Information about own case / asylum process
theme-information_about_case-hint = What they are told about their case, the asylum process or return.
theme-delegation_interviews = Delegation interviews
theme-delegation_interviews-hint = Interviews with delegations from countries of origin.
theme-food = Food
theme-food-hint = Meals: quality, quantity, diet, timing.
theme-family_separation = Family separation
theme-family_separation-hint = Being separated from partner, children or other family.
theme-children = Children
theme-children-hint = Children held, or children of the people held.
theme-vulnerable_people = Vulnerable people
theme-vulnerable_people-hint = Pregnancy, disability, old age, victims of torture or trafficking.
theme-positive_change = Positive change
theme-positive_change-hint = Something that got better since earlier visits.
theme-other = Other
theme-other-hint = A theme that is not on the list: write it under "Other themes" below.

## Coordinators' follow-up on concerns
follow-up-stands = Where it stands now
follow-up-in-note = Follow-up as the note says
follow-up-history = Follow-up by coordinators
follow-up-entry = { $status } on { $date } by { $by }
follow-up-recorded = recorded { $when }
follow-up-pending = not synced yet
follow-up-record = Record follow-up on concern { $n }
follow-up-status = Where it stands
follow-up-date = Date it was done
follow-up-text = What was done
follow-up-save = Record follow-up
follow-up-saved = Follow-up recorded on concern { $n }. It waits in the outbox until you sync; the note itself is unchanged.
follow-up-error-future = { $date } is in the future: give the day it was done.
follow-up-error-before-visit = { $date } is before the visit ({ $visit }): give the day it was done.
follow-up-error-long = The text is longer than { $max ->
    [one] one byte
   *[other] { $max } bytes
}: keep it to a few sentences.
follow-up-apart-heading = Follow-up not shown under a concern
follow-up-apart-concern = A record on concern { $n }:
follow-up-apart-not-received = its note is not (yet) on this computer.
follow-up-apart-deleted = its note was deleted by its author.
follow-up-apart-changed = the leader has changed or removed that concern since, so it is not counted: record it again on the concern as it stands.
follow-up-apart-wrong-author = it was sent to another person's readers and is not counted: tell your administrator.
follow-up-error-status = Choose where the concern stands.
col-received = Received by
received-none = No coordinator has confirmed it yet
received-unknown = Could not be read
home-received-unreadable = Which coordinators have received your notes could not be read on this computer: { $reason }. The rest of this page is as usual.

## Filters of the notes list
filter-heading = Filter the notes
filter-from = Visits from
filter-to = Visits until
filter-unit = Unit
filter-theme = Theme raised
filter-severity = Concerns
filter-author = Written by
filter-any = Any
filter-severity-low = Any concern
filter-severity-medium = Medium or graver
filter-severity-high = High or urgent
filter-severity-urgent = Urgent
filter-apply = Show
filter-clear = Clear the filters
filter-shown = { $shown } of { $total } { $total ->
    [one] note
   *[other] notes
} shown.
filter-error-order = This date is before the first one: the period ends after it starts.
filter-dates-hint = A period: day, month and year, for example 27.11.2026; leave empty for no limit.

## Administration
nav-admin = Administration
home-admin-link = Administration: invites, approvals, the roster
admin-title = Administration
admin-nav-label = Administration
admin-nav-overview = Invites and approvals
admin-nav-roster = Roster
admin-nav-units = Units
admin-nav-rewrap = Rewrap
admin-nav-audit = Audit log
admin-forbidden-title = For administrators only
admin-forbidden-text = These pages are for administrators. This profile is not an administrator's in the roster.
admin-failed-title = That did not work
admin-back = Back to administration
admin-back-roster = Back to the roster
admin-keep = No, go back
admin-role-leader = Leader
admin-role-coordinator = Coordinator
admin-role-admin = Administrator
admin-role-unknown = (not known here)
admin-org-key-granted = The organisation key was sealed to { $name }'s device { $device } (an administrator's device); their next sync picks it up.
admin-org-key-not-granted = The organisation key could not be handed to the administrators' devices that lack it. Nothing is lost, and nothing else depends on it: the next sync here tries again.
admin-org-key-not-granted-why = Why: { $why }
admin-org-key-from-device = device { $device }
admin-org-key-refused-not-a-key = it does not open with this device's key as an organisation key
admin-org-key-refused-other-key = it is the key with fingerprint { $found }, not this organisation's ({ $expected })
admin-org-key-reminder = The organisation key is on this device only, and no shares of it were made. If this device is lost or breaks, nobody can change the list of members again. Split it into shares to print and hand to different people (the Organisation key page), or approve a second administrator, whose device gets the key.
admin-approved-title = { $name } is approved
admin-claims-heading = The server says more than the roster
admin-claims-intro = The server reports changes that no roster signed by the organisation says. Nothing was signed. Check each one: if an administrator made the change and its roster was not published, finish it here (the page shows what it signs and asks first, with the usual checks). If nobody did, the server is not telling the truth: do not sign it, and tell the server's operator.
admin-claim-removed = The server says { $name } was removed.
admin-claim-revoked = The server says the device { $device } of { $name } was revoked.
admin-claim-roster-behind = The server serves roster version { $served }, older than version { $held } on this device (restored from an older backup, or holding the newer one back). A sync here publishes version { $held } again, unchanged.
admin-claim-remove = Check, and remove { $name }…
admin-claim-revoke = Check, and revoke this device…
admin-claim-sync = Go to Sync
admin-pending-heading = { $n ->
    [0] Devices waiting for approval
    [one] One device waiting for approval
   *[other] { $n } devices waiting for approval
}
admin-pending-none = No device is waiting for approval.
admin-pending-hint = Before you approve, call the person and compare the fingerprint: they read theirs aloud (their Visitnotes showed it after enrolling), you check it against the one here, group by group.
admin-pending-gone = That enrolment is no longer waiting (approved or rejected already, or gone from the server). Nothing was changed.
admin-col-role = Role
admin-col-enrolled = Enrolled
admin-col-invited-as = Invited as
admin-fingerprint = Device fingerprint
admin-fingerprint-hint = Eight groups of four letters and digits, to read aloud.
admin-verdict-genuine = The keys check out: they are the ones the invited device sent.
admin-verdict-unknown = The invite was made on another administrator's device: approve it there.
admin-verdict-tampered = Danger: the keys were changed on the way.
admin-verdict-tampered-todo = This device's keys do not match what the invited device sent: someone may have swapped them. Do not approve it: reject it and make a new invite.
admin-approve = Approve { $name }
admin-reject = Reject { $name }…
admin-approved = { $name } is approved: roster version { $version } is signed and published. Their device takes it at its next sync.
admin-reject-title = Reject { $name }?
admin-reject-explain = This deletes the pending enrolment of { $name } (enrolled { $when }): it can no longer be approved, and they will need a new invite.
admin-reject-confirm = Yes, reject it
admin-rejected = The enrolment of { $name } is rejected. To let them in after all, make a new invite.
admin-invite-heading = Invite someone
admin-invite-role = Role
admin-invite-name = Name
admin-invite-name-hint = As the others will see it, for example "Kari Nordmann".
admin-invite-button = Make the invite
admin-invite-error-name = Give the person's name.
admin-invite-error-role = Choose a role.
admin-invite-made-title = Invite for { $name }
admin-invite-made = As { $role }, valid until { $until }, usable once.
admin-invite-give = Give it over a channel you trust (in person, or a call): whoever has the code can ask to join.
admin-invite-code = Invite code
admin-invite-copy = Copy the code
admin-invite-copied = Copied.
admin-invite-run = They open Visitnotes on their computer and paste the code on its first page.
admin-invite-qr = The same code as a QR code, to scan from this screen.
admin-invite-qr-label = QR code of the invite code
admin-roster-title = Roster
admin-roster-version = Roster version { $version }, signed { $signed },
admin-roster-valid = valid until { $when }.
admin-roster-expired = EXPIRED on { $when }: sync to sign a new one.
admin-roster-org-key = Signed by the organisation key with fingerprint { $fingerprint }.
admin-member-removed = (removed)
admin-devices-of = Devices of { $name }
admin-col-device = Device
admin-col-state = State
admin-this-device = (this device)
admin-device-active = Active
admin-device-revoked = Revoked: its notes up to number { $seq } stay trusted.
admin-device-revoked-version = Active through roster version { $version }.
admin-revoke-link = Revoke this device…
admin-remove-link = Remove { $name }…
admin-refused-title = Refused
admin-refused-this-device = This is the device you are using: revoking it would lock you out. Revoke it from another administrator's device.
admin-refused-yourself = { $name } is you (this device): removing yourself would lock you out. Ask another administrator.
admin-refused-last-admin = { $name } is the last administrator: nobody could approve devices or change the roster any more. Invite another administrator first.
admin-refused-last-coordinator = { $name } is the last coordinator: nobody could read the leaders' notes any more. Invite another coordinator first.
admin-nothing-signed = Nothing was signed.
admin-will-sign = This signs and publishes a new roster that says:
admin-plan-person = Person
admin-plan-enrolled = enrolled { $when }
admin-plan-trusted = Trusted through
admin-plan-version = New roster version
admin-plan-devices = Devices
admin-plan-devices-n = { $n ->
    [0] no active device
    [one] one active device, revoked with them
   *[other] { $n } active devices, revoked with them
}
admin-plan-changed = Something changed since the last page (a newer roster or a newer statement from the device): check what will be signed now.
admin-trust-none-head = It said itself, signed { $when }, that it had sent no notes: none will be trusted from it.
admin-trust-none = No note of it can be verified here: none will be trusted from it.
admin-trust-head = Its notes up to number { $seq } stay trusted: it said so itself, signed { $when }. Later ones are refused.
admin-trust-note = Its notes up to number { $seq } stay trusted: the newest this device verified, stored by the server { $when }. Later ones are refused.
admin-trust-plain = Its notes up to number { $seq } stay trusted: the newest this device verified. Later ones are refused.
admin-trust-server-more = The server says it holds notes up to number { $server }, but nothing the device signed shows more than { $seq }: the rest are not trusted.
admin-revoke-title = Revoke a device of { $name }?
admin-revoke-explain = The server refuses the device from now on; this cannot be undone (a found device needs a new invite).
admin-revoke-last-device = { $name } will have no active device left: invite a new one for them afterwards.
admin-revoke-confirm = Yes, revoke it
admin-revoked = The device { $device } of { $name } is revoked: roster version { $version } is published.
admin-remove-title = Remove { $name }?
admin-remove-explain = They can no longer sync or read new notes; the notes they sent before stay trusted. Afterwards, rewrap on a coordinator's device so their key no longer opens stored notes.
admin-remove-confirm = Yes, remove them
admin-removed = { $name } is removed: roster version { $version } is published. Rewrap on a coordinator's device next.
admin-units-title = Units
admin-units-hint = The units offered in the note form. A retired unit is no longer offered; notes that name it keep it.
admin-units-new = New unit
admin-units-add = Add the unit
admin-units-retire = Retire…
admin-units-error-empty = Give the unit's name.
admin-unit-added = { $unit } is added: roster version { $version } is published.
admin-retire-title = Retire { $unit }?
admin-retire-explain = This signs roster version { $version }, in which { $unit } is no longer offered for new notes (notes that name it keep it). The units will be: { $after }.
admin-retire-confirm = Yes, retire it
admin-unit-retired = { $unit } is retired: roster version { $version } is published.
admin-rewrap-title = Rewrap the stored notes
admin-rewrap-explain = After someone was removed, this encrypts every note the server stores again, to the readers of the current roster only, so that the removed key no longer opens the server's copies. It runs on a coordinator's device, which can read the notes, and may take a while.
admin-rewrap-sure = I want every stored note encrypted again to the current readers.
admin-rewrap-button = Rewrap now
admin-rewrap-not-sure = Tick the box to confirm first; nothing was changed.
admin-rewrap-not-coordinator = This profile is not a coordinator's: rewrap on a coordinator's device (its Rewrap page).
admin-rewrap-done = { $n ->
    [0] No note needed encrypting again.
    [one] One note is encrypted again.
   *[other] { $n } notes are encrypted again.
}
admin-rewrap-version = The stored notes are now readable by the readers of roster version { $version } only.
admin-rewrap-not-readable = { $n ->
    [one] One note is not encrypted to this device: another coordinator who can read it must rewrap too.
   *[other] { $n } notes are not encrypted to this device: another coordinator who can read them must rewrap too.
}
admin-rewrap-refused = { $n ->
    [one] One note was refused by verification: see the alerts.
   *[other] { $n } notes were refused by verification: see the alerts.
}
admin-audit-title = Audit log
admin-audit-intact = The audit log verifies.
admin-audit-broken = The audit log is BROKEN: tell the server's operator. The warning stays until it is intact again.
admin-audit-unchecked = The log could not be checked: { $why }
admin-audit-empty = The log has no entries yet.
admin-audit-col-seq = No.
admin-audit-col-when = When
admin-audit-col-action = What
admin-audit-col-who = By
admin-audit-col-what = Details
admin-audit-server = the server
admin-audit-action-roster = Roster published
admin-audit-action-download = Download
admin-audit-action-invite = Invite made
admin-audit-action-enrol = Device enrolled
admin-audit-action-revoke = Device revoked
admin-audit-action-reject = Enrolment rejected
admin-audit-action-restore = Server restored
admin-audit-action-remove = Person removed
admin-audit-action-upload = Notes received
admin-audit-action-rewrap = Notes rewrapped
admin-audit-action-purge = Old revisions purged
admin-audit-action-org-key-grant = Organisation key handed over
admin-audit-action-checkpoint = Audit log checkpoint signed
admin-units-refused-already = "{ $unit }" is one of the units already
admin-units-refused-not-there = "{ $unit }" is not one of the units ({ $units })
admin-units-refused-none = keep at least one unit, none of them empty
admin-audit-person = { $name } ({ $id })
admin-audit-device = { $name }'s device { $device }
admin-audit-finding-chain-intact = { $n ->
    [0] the server's log has no entries yet
    [one] the chain of the server's one entry is intact
   *[other] the chain of the server's { $n } entries is intact
}
admin-audit-finding-chain-broken = BROKEN: entry { $seq } is broken: { $reason }
admin-audit-finding-no-server-checkpoint = the server holds no checkpoint
admin-audit-finding-server-unchecked = the server's newest checkpoint names roster version { $version }, which this device does not have: it was not checked
admin-audit-finding-server-invalid = BROKEN: the server's newest checkpoint does not verify: { $error }
admin-audit-finding-none-yet = no signed checkpoint to compare with yet: an administrator's sync signs one
admin-audit-finding-matches = entries 1 to { $entries } match the checkpoint { $signer } signed on { $when } ({ $which })
admin-audit-finding-removed = BROKEN: entry { $entries }, which the checkpoint { $signer } signed on { $when } covers, was removed ({ $which })
admin-audit-finding-truncated = BROKEN: TRUNCATED: the checkpoint { $signer } signed on { $when } covers { $entries } { $entries ->
    [one] entry
   *[other] entries
}, the server's log now has { $have }: entries { $from } to { $entries } were removed ({ $which })
admin-audit-finding-rewritten = BROKEN: REWRITTEN: entry { $entries } no longer has the hash in the checkpoint { $signer } signed on { $when }: it, or an entry before it, was changed and the chain computed again ({ $which })
admin-audit-signer-this-device = { $name } (this device)
admin-audit-kept-here = kept on this device
admin-audit-kept-server = the server's newest

## The audit log's details (`ops::audit::Detail`), read from the server's entries
admin-audit-detail-roster = version { $version }
admin-audit-detail-roster-after = version { $version } (after version { $after }: published again after a restore?)
admin-audit-detail-revisions = { $count ->
    [one] one revision
   *[other] { $count } revisions
}, numbers { $first } to { $last }
admin-audit-detail-rewrapped = { $count ->
    [one] one revision
   *[other] { $count } revisions
}
admin-audit-detail-purged = { $count ->
    [one] one superseded revision
   *[other] { $count } superseded revisions
}
admin-audit-detail-invite = { $user } as { $role ->
    [leader] leader
    [coordinator] coordinator
   *[admin] administrator
}{ $bootstrap ->
    [yes] , the first administrator
   *[no] {""}
}
admin-audit-detail-enrolled = { $device } for { $user } as { $role ->
    [leader] leader
    [coordinator] coordinator
   *[admin] administrator
}
admin-audit-detail-device = { $device }
admin-audit-detail-restored = { $device } of { $user }, put back from the roster
admin-audit-detail-user = { $user }
admin-audit-detail-checkpoint = entries 1 to { $entries } signed
admin-audit-break-missing = entry { $seq } is missing
admin-audit-break-unlinked = it does not link to the entry before it
admin-audit-break-edited = its content does not match its hash (edited)

## Periods of the reports ("Q4 2026", "December 2026")
report-quarter = Q{ $quarter } { $year }
report-month = { $month } { $year }

## The columns of the report's CSV and the sheets of its Excel file
report-column-note = Note
report-column-visit-date = Visit date
report-column-units = Units
report-column-volunteers = Volunteers
report-column-people-met = People met
report-column-activities = Activities
report-column-themes = Themes
report-column-concerns = Concerns
report-column-max-severity = Gravest concern
report-column-tracing-requests = Tracing requests
report-column-summary = Summary
report-format-csv-layout = The CSV file holds the notes, one row per note (visit date, units, counts, activities, themes, gravest concern), with the headers in the report's language; cells are separated by { $separator }. Every table of the report is in the Excel file, one sheet each.
report-separator-comma = commas
report-separator-semicolon = semicolons
report-column-notes-sheet = Notes
# The number format of dates in the Excel file.
report-column-date-format = dd/mm/yyyy
report-format-xlsx = As an Excel workbook (XLSX, one sheet per table)
report-error-xlsx = The Excel workbook could not be made, and nothing was saved: save the report in another format.

## Why a revision was refused (`ops::rejection`), read from the verifier's words
reject-bad-signature = the note's signature does not verify: it was altered or forged
reject-unknown-device = it is signed by device { $device }, which is not in the list of members
reject-revoked-device = it is signed by device { $device }, which was revoked before it wrote this
reject-author-mismatch = it names another author than the one its device belongs to
reject-not-coordinator = the follow-up record is signed by device { $device }, whose owner is not a coordinator: only coordinators record follow-up
reject-id-mismatch = its content does not match its envelope (note id or revision differ): notes were swapped
reject-rollback = rollback: { $what ->
    [revision] revision
   *[seq] note number
} { $got } is not above { $seen }, already seen
reject-stale-roster = it was written under version { $note } of the list of members, newer than this device's version { $have }: sync first
reject-forbidden-stanza = it is encrypted with a { $stanza } stanza; only X25519 is accepted
reject-outside-revoked-history = signed with the key of { $name }'s device, which was revoked, but not part of the history the revocation trusts (up to its note number { $seq })
## Enrolling this device in the page (`visitnotes ui` with no profile).
enrol-unit-suggestion-men = Men's unit
enrol-unit-suggestion-women = Women's unit
enrol-unit-suggestion-extra = Extra unit
enrol-unit-suggestion-security = Security unit
enrol-title = Set up Visitnotes on this computer
enrol-intro = Your administrator sent you an invite code. Paste it here with your name, and choose a passphrase for this computer. Nothing is sent until everything checks out here, so a mistake does not use up the invite.
enrol-invite = Invite code
enrol-invite-hint = It starts with VN1-. Paste it whole; the line breaks and spaces an e-mail adds do not matter.
enrol-name = Your name
enrol-name-hint = As your administrator and colleagues will see it, for example "Kari Nordmann".
enrol-passphrase = New passphrase for this computer
enrol-passphrase-hint = At least 8 characters; a few words you remember are best. It opens Visitnotes on this computer; nobody can recover it.
enrol-passphrase-again = The same passphrase again
enrol-units = The organisation's units
enrol-units-hint = You are the first administrator: enrolling creates the organisation. One unit per line, as the notes will name them; change these suggestions as you need (administrators can change the units later).
enrol-button = Enrol this computer
enrol-retype = For your safety the passphrase fields are empty again: type the passphrase again, twice. Everything else you typed is kept.
enrol-errors = Nothing was sent and the invite is not used. Correct what is marked below:
enrol-error-name = Give your name.
enrol-error-invite-empty = Paste the invite code your administrator sent you.
enrol-error-invite-not-invite = This is not a Visitnotes invite code: it starts with VN1-. Paste the code from your administrator's message whole.
enrol-error-invite-damaged = The invite code is incomplete or has a mistyped character: copy it again, whole, from your administrator's message. If it still fails, ask for a new invite.
enrol-error-invite-version = This invite was made by a newer Visitnotes: install the newer version, then paste it again.
enrol-error-invite-url = The invite names no valid server address: ask your administrator for a new invite.
enrol-error-weak = The passphrase must be at least 8 characters: choose a longer one.
enrol-error-mismatch = The two passphrases differ: type the same passphrase in both fields.
enrol-error-units = Give at least one unit.
enrol-error-profile-exists = This computer has a Visitnotes profile already ({ $home }): close this page and open Visitnotes again.
enrol-error-folder = Visitnotes cannot write its profile folder { $dir }: ask whoever looks after this computer to fix its permissions, or start Visitnotes with another folder (--home). Nothing was sent.
enrol-error-invite-refused = The server does not accept this invite: it was used already, has expired, or was never made there. Nothing was set up here. Ask your administrator for a new invite, then paste it here; what you typed is kept.
enrol-error-org-key-mismatch = The server's organisation key ({ $found }) is not the one your invite names ({ $expected }): this may not be your organisation's server. Nothing was sent. Tell your administrator before you try again.
enrol-error-server-has-org = This invite is for the first administrator of a new organisation, but the server has an organisation already: ask your administrator for a new invite.
enrol-error-server-has-no-org = This server has no organisation yet: its first administrator must enrol before anyone else. Try again once they have.
enrol-error-other-device = The server enrolled another device than this one: it may not be your organisation's server. Nothing was kept here: tell your administrator.
enrol-error-unused = { $text } The invite is not used: correct this and try again.
enrol-wait-title = Waiting for your administrator
enrol-wait-intro = This computer is enrolled as { $name }. Before you can write notes, your administrator approves it.
enrol-wait-read = Read this fingerprint to your administrator, on the phone or in person. They check it against the one on their screen, group by group:
enrol-wait-fingerprint = Fingerprint of this computer
enrol-wait-checking = This page checks every few seconds and moves on by itself once you are approved.
enrol-wait-check = Check again
enrol-wait-still = Still waiting. Ask your administrator to approve the device with this fingerprint. You can close Visitnotes now: your enrolment is kept on this computer. Open Visitnotes again later; it asks for your passphrase, then checks again.
enrol-wait-not-reached = The server could not be asked just now ({ $reason }). Your enrolment is kept; this page tries again.
enrol-refused-title = Your enrolment was not approved
enrol-refused = The server no longer accepts this computer: your administrator rejected the enrolment (or revoked the device). Ask them for a new invite. To use it, close Visitnotes and move the profile folder { $home } aside (or delete it), then open Visitnotes again.
enrol-approved = Your administrator approved this computer, and it is synced: you can write notes now.
enrol-approved-unsynced = Your administrator approved this computer, but the first sync failed: { $reason } Start a sync from the Sync page.
enrol-backup-title = Back up the organisation key
enrol-backup-intro = You are the first administrator, and the organisation is made. Its key, which signs the list of members, was created on this computer and exists nowhere else: this is its only copy.
enrol-backup-risk = If this computer is lost, stolen or breaks before the key is backed up or another administrator's device holds it, nobody can add, approve or remove anyone again, and the organisation must start over.
enrol-backup-how = The key is split into shares to print on paper. Each share alone tells nothing about the key; a number of them together rebuild it. Give each printed share to a different person you trust, to keep at home, away from the others.
enrol-backup-count = Number of shares
enrol-backup-threshold = Shares needed to rebuild the key
enrol-backup-make = Make the shares to print
enrol-backup-later = Later
enrol-backup-later-hint = Skipping is risky: until the shares are made, the administration page keeps reminding you. Make them later on the Organisation key page (Administration).
enrol-backup-error-numbers = Choose between 2 and 20 shares, and how many rebuild the key: from 2 to the number of shares.
enrol-shares-title = The organisation key's shares
enrol-shares-intro = { $count ->
    [one] One share
   *[other] { $count } shares
}; any { $threshold } of them rebuild the organisation key (fingerprint { $fingerprint }). Print this page now: each share comes out on a page of its own. They are shown once: this page is not kept, and a new set does not combine with this one.
enrol-shares-print = Print them with your browser's Print command (Ctrl+P). Then, for each printed share: write on it who keeps it, hand it to that person yourself, and ask them to keep it on paper at home: not photographed, scanned, e-mailed or in a shared folder. Keep no share yourself beyond one.
enrol-shares-rebuild = If the key is ever lost, { $threshold } of the people holding shares come together, and an administrator types their codes in on an enrolled device (the Organisation key page of the administration).
enrol-share-heading = Organisation key: share { $n } of { $count }
enrol-share-explain = Any { $threshold } of the { $count ->
    [one] one share
   *[other] { $count } shares
} rebuild the Visitnotes organisation key (fingerprint { $fingerprint }); fewer tell nothing about it. Keep it on paper, in a place of your own, away from the other shares. Do not photograph it, scan it or e-mail it. If it is lost or seen by someone else, tell an administrator: they make a new set.
enrol-share-kept-by = Kept by:
enrol-share-code = Share code (set { $set })
enrol-share-qr = QR code of share { $n }
enrol-shares-done = I have printed them all
enrol-shares-done-hint = Only when each share is on paper: this page cannot be shown again.
enrol-shares-recorded = The shares are recorded as made. Hand each one over in person.
enrol-units-check = This invite creates a new organisation: check its units below, then type the passphrase twice and enrol again.
enrol-wait-auto-off = Stop checking by itself
enrol-wait-auto-on = Check by itself again
enrol-wait-manual = This page checks only when you press Check again.
admin-backup-missing = The organisation key's only copy is on this computer: no shares of it were made, and no other administrator's device holds it. If this computer is lost or breaks, nobody can change the list of members again.
home-not-approved-wait = This computer's fingerprint, and a check for the approval

## Advice as buttons (`templates::advice`): what an alert or a page says
## to do, as the button that does it, and the questions before the two
## syncs that ask first.
advice-admin-sync = Sync now: signs and publishes a fresh list of members
advice-sync-from-start = Sync from the start…
advice-send-held = Send the held notes as they are…
advice-rewrap = Open the Rewrap page
advice-revoke = Revoke a device on the list of members
advice-verify-audit = Check the audit log
advice-import-org-key = Import the organisation key
advice-cancel = Cancel: back to the Sync page
advice-from-start-title = Sync from the start?
advice-from-start-what = A sync from the start asks the server for every note again, from the first, and checks each one as if it were new: a note the server changed or held back, or a copy it swapped, is found again, and a warning that the server has since fixed ends. It can take a while with many notes.
advice-from-start-kept = Nothing on this computer is lost or replaced: a note that was checked before is kept as it was checked, and notes not sent yet are sent as in any sync.
advice-from-start-button = Sync from the start
advice-send-held-title = Send the held notes as they are?
advice-send-held-what = { $n ->
    [one] One note written here is held back:
   *[other] { $n } notes written here are held back:
} sealed on this computer, not sent, because the newest list of members here has expired.
advice-send-held-list = They are sealed for the readers of the list of members version { $version }, which expired on { $expired }.
advice-send-held-risk-heading = The risk
advice-send-held-risk = The server may be holding back a newer list: one that removed a reader (someone who left, or a lost device). Sent as they are, these notes can be read by everyone the expired list names, including anyone removed since. Each keeps a warning that it was sent under an expired list.
advice-send-held-better = Safer: ask an administrator to open Visitnotes and press Sync now (that signs a fresh list), then sync here: the notes are then sealed again for the fresh list's readers.
advice-send-held-button = { $n ->
    [one] Send the held note as it is
   *[other] Send the { $n } held notes as they are
}
advice-send-held-none = No notes are held back on this computer: there is nothing to send.
advice-checkpoint = Sign a checkpoint now
advice-checkpoint-hint = A checkpoint is signed by this device's sync: it records the audit log as it is now, so that a later check finds any entry removed or changed.
## The coordinators' concerns page
nav-concerns = Concerns
concerns-title = Concerns across all notes
concerns-intro = Every concern raised in the notes on this computer: open ones first, then the gravest, then those open longest. Each links to its note, where you record what was done.
concerns-none = No note on this computer records a concern. Concerns appear here once leaders' notes with concerns are synced.
concerns-none-open = No concern is open or in progress: every concern is closed. Choose “All, closed too” to see them.
concerns-none-filtered = No concern matches these filters. Clear the filters to see all.
concerns-shown = { $n ->
    [one] One concern shown.
   *[other] { $n } concerns shown.
}
concerns-apart = { $n ->
    [one] One follow-up record is not shown under a concern (its note is not here, or the concern changed): see the note pages.
   *[other] { $n } follow-up records are not shown under a concern (their notes are not here, or the concerns changed): see the note pages.
}
concerns-forbidden-title = For coordinators only
concerns-forbidden-text = This page is for coordinators. This profile is not a coordinator's in the roster.
concerns-filter-heading = Filter the concerns
concerns-filter-status = Where they stand
concerns-filter-not-closed = Open or in progress
concerns-filter-all = All, closed too
concerns-filter-severity = How serious
concerns-severity-low = Any
concerns-severity-medium = Medium or graver
concerns-severity-high = High or urgent
concerns-severity-urgent = Urgent
concerns-col-stands = Where it stands
concerns-col-severity = How serious
concerns-col-concern = Concern
concerns-col-days = Open for
concerns-col-follow-up = Follow-up
concerns-days = { $n ->
    [0] since today
    [one] 1 day
   *[other] { $n } days
}
concerns-stands-by = since { $date }, by { $by }
concerns-stands-leader = on { $date }, as the note says
concerns-note-link = Concern { $number } of the visit on { $date }
concerns-record = Record follow-up

## The organisation key's page
admin-nav-org-key = Organisation key
org-key-title = The organisation key
org-key-held = This computer holds the organisation key (fingerprint { $fingerprint }). It signs the list of members: whoever holds it can add, approve and remove anyone.
org-key-why-backup = Keep a copy away from this computer: if it is lost or breaks and no other administrator's device holds the key, nobody can change the list of members again. Make shares to print, or a file encrypted under a passphrase, or both.
org-key-shares-heading = Shares on paper
org-key-shares-once = The shares are shown once, on the next page, to print; they are never saved on this computer. A new set does not combine with an earlier one.
org-key-export-heading = A file encrypted under a passphrase
org-key-export-explain = Your browser saves the key as a file, encrypted under the passphrase you choose here (at least 8 characters). Keep the file and the passphrase apart: on a USB stick in a safe, the passphrase in your head or a sealed envelope. Another administrator's device reads it back on this page (Organisation key, under Administration), with “Import the key from a file”.
org-key-export-passphrase = Passphrase for the file
org-key-export-passphrase2 = The same passphrase again
org-key-export-understood = I understand: whoever has this file and its passphrase can sign the list of members of the organisation with the key { $fingerprint }.
org-key-export-button = Save the encrypted key file
org-key-error-understood = Tick the box first: it says what this step hands over. Nothing was done.
org-key-not-held = This computer does not hold the organisation key (its fingerprint is { $fingerprint }): it cannot sign changes to the list of members.
org-key-ways = Ways to get it onto this computer:
org-key-way-admin = Another administrator whose device holds the key hands it over: ask them to open the administration or sync, then sync here.
org-key-way-shares = Enough people holding printed shares come together here, and their codes are typed in:
org-key-way-file = From a file saved with “Save the encrypted key file” on another administrator's device, and its passphrase:
org-key-import-heading = Import the key from a file
org-key-import-explain = Choose the file saved with “Save the encrypted key file” on an administrator's device, and type the passphrase chosen for it. The key in it must have the fingerprint { $fingerprint }, or nothing is kept.
org-key-import-file = The key file
org-key-import-file-other = Or another key file
org-key-import-file-hint = At most { $size } KB: an exported key is under 1 KB.
org-key-import-kept = { $name } is still chosen, and need not be chosen again: type its passphrase again below, or choose another file.
org-key-import-passphrase = The file's passphrase
org-key-import-understood = Keep the key from this file (fingerprint { $fingerprint }) on this computer, which can then sign the list of members.
org-key-import-button = Import the key
org-key-imported = The organisation key was imported from { $name } and is now kept on this computer (fingerprint { $fingerprint }).
org-key-import-error-no-file = Choose the key file. Nothing was imported.
org-key-import-error-too-large = { $name } is larger than { $size } KB: it is not an exported organisation key. Choose the file saved with “Save the encrypted key file”. Nothing was imported.
org-key-import-error-not-key = { $name } is not an organisation key saved by Visitnotes, or it is damaged. Choose the file saved with “Save the encrypted key file”. Nothing was imported.
org-key-import-error-other-org = { $name } holds another organisation's key (fingerprint { $found }), not this one's ({ $expected }). Nothing was imported.
org-key-import-error-no-passphrase = Type the passphrase chosen when the file was saved. Nothing was imported.
org-key-import-error-passphrase = This passphrase does not open { $name }. Type it again as it was chosen when the file was saved (capitals and spaces count). Nothing was imported.
org-key-import-error-not-admin = { $person } is not an administrator in the list of members: the organisation key belongs only on administrators' devices. Nothing was imported.
org-key-import-error-not-in-roster = This device is not in the list of members yet: ask an administrator to approve it, press Sync now, then import the key again. Nothing was imported.
org-key-import-error-upload = The form did not arrive whole: go back to the Organisation key page and try again. Nothing was imported.
org-key-import-error-upload-too-large = The file chosen is far too large to be an exported organisation key: go back to the Organisation key page and choose the file saved with “Save the encrypted key file”. Nothing was imported.
org-key-recover-heading = Rebuild the key from shares
org-key-recover-explain = Type or paste the code of each share (it starts with VNS1), one a line: as many as the shares say are needed. The key they rebuild must have the fingerprint above, or nothing is kept.
org-key-recover-codes = Share codes, one a line
org-key-recover-codes-hint = Each code as printed under “Share code”, on a line of its own.
org-key-recover-understood = Keep the rebuilt key (fingerprint { $fingerprint }) on this computer, which can then sign the list of members.
org-key-recover-button = Rebuild the key
org-key-recovered = The organisation key was rebuilt from { $n ->
    [one] one share
   *[other] { $n } shares
} and is now kept on this computer (fingerprint { $fingerprint }): it can sign the list of members again.
org-key-recovered-already = { $n ->
    [one] The share rebuilds
   *[other] The { $n } shares rebuild
} the organisation key (fingerprint { $fingerprint }), which this computer already holds: nothing changed.

## Another device for a person
admin-add-device-link = Add a device for { $name }
admin-add-device-title = A new device for { $name }
admin-add-device-explain = This makes an invite for another device of { $name } (a new phone or computer, or one replacing a lost device). Once it enrols and you approve it, it belongs to { $name }: it reads the notes { $name } may read and writes as { $name }.
admin-add-device-lost = If the device it replaces is lost or stolen, revoke that one on the roster as well.
admin-add-device-confirm = Make the invite for { $name }
admin-add-device-nobody = The roster has no active person with this id: they may have been removed. Nothing was made.
admin-device-invite-made = This invite is for a new device of { $name }, until { $until }. Once it enrols, approve it under Invites and approvals.

## The phone library (mobile/): what the app shows as it is.

error-locked = Visitnotes is locked: type your passphrase to go on.
mobile-enrolled-waiting = Enrolled. Read this device's fingerprint to your administrator, then wait for their approval.
mobile-enrolled-first = You are the first administrator: the organisation key was created on this device.
mobile-waiting-for-approval = Waiting for an administrator to approve this device.
mobile-approved = Approved: sync to fetch the list of members and your notes.
mobile-received-by = Received by { $names }
