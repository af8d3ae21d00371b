/// International calling codes (ITU-T E.164), to split a number written `+573001112233` into
/// its country code and national number. The codes are prefix-free, so the one that starts a
/// number is the only one that matches it.
public enum CallingCodes {
    static let codes: Set<String> = {
        var codes: Set<String> = ["1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45",
                                   "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
                                   "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"]
        let threeDigitRanges: [ClosedRange<Int>] = [
            211...212, 213...213, 216...216, 218...218, 220...258, 260...269, 290...299, 350...359, 370...389, 420...421,
            423...423, 500...509, 590...599, 670...692, 800...800, 808...808, 850...850, 852...853, 855...856, 870...870,
            878...878, 880...883, 886...886, 888...888, 960...968, 970...979, 992...998,
        ]
        for range in threeDigitRanges { for code in range { codes.insert(String(code)) } }
        return codes
    }()

    /// The country code and the national number of a number written with its country code
    /// (`+57 300 111 2233`, `573001112233`); nil when no code starts it.
    public static func split(_ number: String) -> (code: String, national: String)? {
        let digits = number.filter { $0.isASCII && $0.isNumber }
        for length in 1...3 where digits.count > length {
            let code = String(digits.prefix(length))
            if codes.contains(code) { return (code, String(digits.dropFirst(length))) }
        }
        return nil
    }
}
