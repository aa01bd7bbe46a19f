/* FOR THE WINE SMOKE TEST ONLY: never shipped, never in an installer.
 *
 * Rust's standard library on Windows takes its random numbers from
 * ProcessPrng in bcryptprimitives.dll, which every supported Windows has
 * but Debian 12's Wine 8 lacks, so that no Rust program starts there.
 * scripts/windows.sh builds this stand-in with mingw and copies it into a
 * throwaway Wine prefix: ProcessPrng forwarded to advapi32's
 * SystemFunction036 (RtlGenRandom), Wine's own system random source. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
