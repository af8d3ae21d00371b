import Foundation
import FuzzDriver
import RosterEngine

/// A plan file, edited, damaged or forged: read, with what does not hold named, or refused,
/// never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlan(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = bytes else { return 0 }
    let data = Data(bytes: start, count: count)
    if let reading = try? PlanFile.read(data, path: "cleanup.plan") {
        _ = PlanFile.text(of: reading.plan)
    }
    return 0
}

@_cdecl("fuzz_plan_main")
public func fuzz_plan_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzPlan)
}
