/// libFuzzer's driver, run from the entry point SwiftPM names for an executable target.
///
/// A debug build links each executable with `main` renamed to `<target>_main` (so tests could
/// link it), which hides libFuzzer's own `main`. Each target defines `<target>_main` to call
/// `runFuzzer`, which hands libFuzzer its command line and the target's test function; in a
/// release build libFuzzer's `main` is used and these are never called.
public typealias FuzzTest = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ test: FuzzTest
) -> CInt

public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ test: FuzzTest) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, test)
}
