import Foundation
import FuzzDriver
import FuzzReplies
import RosterCore

/// An Easify list reply, whatever its body and status.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEasifyPage(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    if let start = bytes { readListReply(start, count, dialect: .easify) }
    return 0
}

@_cdecl("fuzz_easify_page_main")
public func fuzz_easify_page_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzEasifyPage)
}
