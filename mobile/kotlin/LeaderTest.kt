// A leader's whole path, from Kotlin through the generated bindings, against
// the real sync server; the administrator and the coordinator (Kari) are the
// real `visitnotes` command line. scripts/kotlin-test.sh builds everything,
// starts the server, enrols the administrator and Kari, and runs this with:
//
//   LeaderTest WORK_DIR LEADER_INVITE
//
// and the environment VISITNOTES_BIN (the CLI), ADMIN_HOME, COORDINATOR_HOME,
// VISITNOTES_PASSPHRASE (theirs). Every step is checked; the first that
// fails ends the program with a non-zero exit and says which.

import org.visitnotes.mobile.*
import java.io.File
import kotlin.system.exitProcess

private var step = "start"
private var checks = 0

fun step(name: String) {
    step = name
    println("kotlin-test: $name")
}

fun check(ok: Boolean, what: () -> String) {
    checks++
    if (!ok) {
        System.err.println("kotlin-test: FAILED at \"$step\": ${what()}")
        exitProcess(1)
    }
}

/** Runs the command line as the person whose profile is in [home]; its output. */
fun cli(home: String, vararg args: String): String {
    val command = listOf(System.getenv("VISITNOTES_BIN"), "--home", home) + args
    val process = ProcessBuilder(command).redirectErrorStream(true).start()
    val out = process.inputStream.bufferedReader().readText()
    val status = process.waitFor()
    // 3: done, with warnings (the CLI's "exit 3"): fine for these steps.
    check(status == 0 || status == 3) { "${command.joinToString(" ")} exited $status:\n$out" }
    return out
}

inline fun <reified E : Throwable> throws(block: () -> Unit): E? =
    try {
        block()
        null
    } catch (e: Throwable) {
        e as? E ?: throw e
    }

class Progress : SyncProgress {
    @Volatile var calls = 0
    override fun pulled(done: ULong, total: ULong?) {
        calls++
    }
}

fun main(args: Array<String>) {
    val work = File(args[0])
    val invite = args[1]
    val admin = System.getenv("ADMIN_HOME")
    val coordinator = System.getenv("COORDINATOR_HOME")
    val passphrase = "a leader's phone passphrase"
    val home = File(work, "phone").path

    step("a bad invite is refused before anything is used")
    val device = Device(home, "en")
    check(!device.isEnrolled()) { "a profile before enrolment" }
    val bad = throws<VisitnotesException> { device.checkInvite("VN1-not-an-invite") }
    check(bad is VisitnotesException.Failed) { "a bad invite gave $bad" }
    check(!bad!!.message.isNullOrBlank()) { "no words for a bad invite" }
    device.checkInvite(invite)

    step("a short passphrase is refused and the invite stays unused")
    val weak = throws<VisitnotesException> { device.enroll(invite, "Ola Leader", "short") }
    check(weak is VisitnotesException.InviteUnused) { "a short passphrase gave $weak" }

    step("enrol with the invite: the fingerprint to read aloud")
    val enrolment = device.enroll(invite, "Ola Leader", passphrase)
    check(enrolment.deviceFingerprint.isNotBlank()) { "no fingerprint" }
    check(!enrolment.firstAdministrator && enrolment.role == "leader") { "enrolled as $enrolment" }
    check(device.isEnrolled() && device.isUnlocked()) { "not enrolled and unlocked after enrolment" }
    println("kotlin-test:   ${enrolment.next} (${enrolment.deviceFingerprint})")

    step("waiting for approval: nothing can be written yet")
    val waiting = device.checkApproval()
    check(!waiting.approved) { "approved before the administrator did: $waiting" }
    println("kotlin-test:   ${waiting.words}")

    step("the administrator approves (CLI)")
    val pending = cli(admin, "admin", "pending")
    check(pending.contains(enrolment.deviceFingerprint)) { "the administrator does not see the fingerprint:\n$pending" }
    cli(admin, "admin", "approve", "--all")
    val approval = device.checkApproval()
    check(approval.approved && approval.roles == listOf("leader")) { "not approved: $approval" }
    val first = device.sync(Progress())
    check(first.pushed == 0UL) { "pushed ${first.pushed} before writing anything" }

    step("lock wipes the keys: nothing works until unlocked")
    device.lock()
    check(!device.isUnlocked()) { "still unlocked" }
    check(throws<VisitnotesException> { device.myNotes() } is VisitnotesException.Locked) { "my notes while locked" }
    check(throws<VisitnotesException> { device.unlock("not the passphrase") } is VisitnotesException.WrongPassphrase) {
        "a wrong passphrase unlocked"
    }
    device.unlock(passphrase)

    step("the form offers the roster's units and the catalogues' themes")
    val choices = device.choices()
    check(choices.units == listOf("Unit A", "Unit B")) { "units ${choices.units}" }
    val lockIn = choices.themes.first { it.code == "lock_in" }
    check(lockIn.label == "Lock-in" && lockIn.explanation.isNotBlank()) { "theme $lockIn" }
    device.setLanguage("nb")
    val nbLockIn = device.choices().themes.first { it.code == "lock_in" }
    check(nbLockIn.label != lockIn.label) { "no Norwegian label: $nbLockIn" }

    step("a note with three mistakes: every one at once, in Norwegian, and the draft kept")
    val concern = ConcernFormRecord(
        severity = Severity.URGENT,
        description = "asked to see a doctor",
        consent = true,
        followUp = FollowUpStatus.OPEN,
        reportedTo = "",
        reportedOn = "",
        closedOn = "",
    )
    val wrong = device.blankForm().copy(
        date = "01.01.2099",
        peopleMet = "-1",
        volunteers = "2",
        themes = listOf("lock_in"),
        concerns = listOf(concern),
        summary = "a calm visit",
    )
    val refused = device.saveNote(wrong)
    check(refused is SaveOutcome.Invalid) { "a wrong note was saved: $refused" }
    val errors = (refused as SaveOutcome.Invalid).errors.associate { it.field to it.message }
    check(errors.keys == setOf("date", "people_met", "units")) { "errors $errors" }
    check(errors.values.none { it.contains("must") || it.startsWith("error-") }) { "not in Norwegian: $errors" }
    println("kotlin-test:   ${errors.values.joinToString(" | ")}")
    val draft = device.loadDraft(null)
    check(draft == wrong) { "the draft is not what was typed: $draft" }
    check(device.myNotes().drafts.size == 1) { "the draft is not listed" }
    device.setLanguage("en")

    step("the note corrected: sealed into the outbox, the draft gone")
    val right = wrong.copy(date = device.blankForm().date, peopleMet = "5", units = listOf("Unit A"))
    check(device.checkForm(right).isEmpty()) { "still wrong: ${device.checkForm(right)}" }
    val saved = device.saveNote(right)
    check(saved is SaveOutcome.Saved) { "not saved: $saved" }
    val noteId = (saved as SaveOutcome.Saved).noteId
    check(device.loadDraft(null) == null) { "the draft is still there" }
    val outbox = device.myNotes()
    check(outbox.outbox == 1u && outbox.notes.single().state == NoteState.Outbox) { "not in the outbox: $outbox" }

    step("sync: the note goes up, with progress told")
    val progress = Progress()
    val sent = device.sync(progress)
    check(sent.pushed == 1UL) { "pushed ${sent.pushed}" }
    val mine = device.myNotes().notes.single()
    check(mine.state == NoteState.Synced && mine.receivedBy.isEmpty()) { "after sync: $mine" }
    println("kotlin-test:   ${mine.stateWords}; ${mine.receivedWords}")

    step("Kari (coordinator, CLI) syncs: the leader sees \"received by Kari\"")
    cli(coordinator, "sync")
    val received = device.sync(Progress())
    val seen = device.myNotes().notes.single()
    check(seen.receivedBy == listOf("Kari")) { "received by ${seen.receivedBy}; sync said ${received.received}" }
    check(seen.receivedWords == "Received by Kari") { "in words: ${seen.receivedWords}" }
    println("kotlin-test:   ${seen.receivedWords}")

    step("Kari records a follow-up (CLI): the leader syncs and sees it")
    cli(coordinator, "concern", "follow-up", noteId, "1", "--status", "in_progress", "--text", "the nurse will see him")
    cli(coordinator, "sync")
    val followed = device.sync(progress)
    check(followed.received.any { it.startsWith("From Kari:") }) { "the sync did not say what came: ${followed.received}" }
    println("kotlin-test:   ${followed.received.joinToString(" ")}")
    val detail = device.note(noteId)
    val entry = detail.concerns.single().followUps.singleOrNull()
    check(entry != null && entry.by == "Kari" && entry.text == "the nurse will see him") { "follow-up $entry" }
    check(detail.concerns.single().status == FollowUpStatus.IN_PROGRESS) { "status ${detail.concerns.single()}" }
    check(detail.editable) { "the leader's own note is not editable" }

    step("edit, then delete: each goes out with the next sync")
    val edited = device.saveEdit(noteId, detail.form.copy(summary = "a calm visit; one concern"))
    check(edited is SaveOutcome.Saved) { "edit: $edited" }
    check(device.sync(Progress()).pushed == 1UL) { "the edit was not sent" }
    check(device.note(noteId).summary.revision == 2UL) { "not revision 2" }
    device.deleteNote(noteId)
    check(device.sync(Progress()).pushed == 1UL) { "the deletion was not sent" }
    check(device.myNotes().notes.isEmpty()) { "a deleted note is listed" }
    check(device.alerts().none { it.gravity >= 3u }) { "grave alerts: ${device.alerts()}" }

    device.lock()
    device.close()
    println("kotlin-test: passed ($checks checks)")
}
