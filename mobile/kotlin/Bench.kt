// The phone library's speed as a Kotlin app meets it: unlock (the
// passphrase's key derivation at the library's own cost), seal one note,
// sync 100 notes. Run by `scripts/kotlin-test.sh --bench` (release library)
// with the same arguments and environment as LeaderTest; prints the
// figures for BENCHMARKS.md.

import org.visitnotes.mobile.*
import java.io.File

private fun ms(nanos: Long) = "%.1f ms".format(nanos / 1e6)

private fun <T> timed(block: () -> T): Pair<T, Long> {
    val start = System.nanoTime()
    val value = block()
    return value to (System.nanoTime() - start)
}

private object Quiet : SyncProgress {
    override fun pulled(done: ULong, total: ULong?) {}
}

fun main(args: Array<String>) {
    val work = File(args[0])
    val invite = args[1]
    val passphrase = "a leader's phone passphrase"
    val device = Device(File(work, "bench-phone").path, "en")
    val (_, enrolTime) = timed { device.enroll(invite, "Bench Leader", passphrase) }
    cli(System.getenv("ADMIN_HOME"), "admin", "approve", "--all")
    device.sync(Quiet)

    val unlocks = (1..5).map {
        device.lock()
        timed { device.unlock(passphrase) }.second
    }.sorted()

    val form = device.blankForm().copy(
        units = listOf("Unit A"),
        volunteers = "2",
        peopleMet = "5",
        themes = listOf("lock_in"),
        summary = "A benchmark visit: ".padEnd(600, 'x'),
    )
    // One note first (the store and the code warm), then 100 timed.
    device.saveNote(form)
    device.sync(Quiet)
    val seals = (1..100).map { timed { check(device.saveNote(form) is SaveOutcome.Saved) }.second }.sorted()
    val (synced, syncTime) = timed { device.sync(Quiet) }
    check(synced.pushed == 100UL) { "pushed ${synced.pushed}" }
    val (_, emptySync) = timed { device.sync(Quiet) }

    println("bench: enrol (keys, key derivation, network): ${ms(enrolTime)}")
    println("bench: unlock, median of 5: ${ms(unlocks[2])} (min ${ms(unlocks.first())}, max ${ms(unlocks.last())})")
    println("bench: seal a note into the outbox, median of 100: ${ms(seals[50])} (max ${ms(seals.last())})")
    println("bench: sync 100 notes up: ${ms(syncTime)}")
    println("bench: sync with nothing new: ${ms(emptySync)}")
    device.lock()
    device.close()
}
