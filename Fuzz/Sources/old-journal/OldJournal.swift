import Foundation
import FuzzDriver
import RosterEngine

/// A journal.jsonl of Roster's first format as a full disk or a bad byte may leave it: every
/// whole record recovered, every damaged line kept aside, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOldJournal(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = bytes else { return 0 }
    let contents = OldJournalFile.read(Array(UnsafeBufferPointer(start: start, count: count)), source: "journal.jsonl")
    _ = contents.records.count + contents.damaged.count
    return 0
}

@_cdecl("fuzz_old_journal_main")
public func fuzz_old_journal_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOldJournal)
}
