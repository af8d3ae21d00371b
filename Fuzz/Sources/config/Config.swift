import Foundation
import FuzzDriver
import RosterEngine

/// A config.toml as a user may write it, mistakes and all: read into a profile or refused
/// with a message naming the file and the setting, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = bytes else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    for name in ["acme", "default"] {
        _ = try? ProfileConfig.parse(text, profile: name, file: "config.toml")
    }
    return 0
}

@_cdecl("fuzz_config_main")
public func fuzz_config_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzConfig)
}
