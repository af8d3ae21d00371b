import Foundation
import FuzzDriver
import RosterTUI

/// A theme file, broken or not: read into a theme or refused with the line and the name at
/// fault, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTheme(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = bytes else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? ThemeFile.parse(text, name: "fuzzed")
    return 0
}

@_cdecl("fuzz_theme_main")
public func fuzz_theme_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzTheme)
}
