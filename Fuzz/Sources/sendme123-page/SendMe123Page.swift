import Foundation
import FuzzDriver
import FuzzReplies
import RosterCore

/// A SendMe123 list reply, whatever its body and status.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSendMe123Page(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    if let start = bytes { readListReply(start, count, dialect: .sendme123) }
    return 0
}

@_cdecl("fuzz_sendme123_page_main")
public func fuzz_sendme123_page_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzSendMe123Page)
}
