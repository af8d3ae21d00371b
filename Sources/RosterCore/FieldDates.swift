import Foundation

/// Dates as the dialects write them, read by hand: a million records are read on the way in,
/// and a formatter costs microseconds each. All times are UTC (Easify's carry no zone).
public enum FieldDates {
    /// Seconds since 1970 of a civil date and time (proleptic Gregorian calendar).
    public static func seconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64 {
        // Howard Hinnant's days-from-civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = Int64(era) * 146_097 + Int64(dayOfEra) - 719_468
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The civil date of a moment, for showing it: `2024-03-02`.
    public static func day(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// ISO 8601 as SendMe123 writes it: `2024-03-02T10:04:05.000Z`, or a date alone; an
    /// offset (`+05:00`) is applied. Nil when it is not one.
    public static func iso8601(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, let year = number(bytes, 0, 4), bytes[4] == 0x2D, let month = number(bytes, 5, 2),
              bytes[7] == 0x2D, let day = number(bytes, 8, 2), valid(year, month, day) else { return nil }
        guard bytes.count >= 19, bytes[10] == 0x54 || bytes[10] == 0x20 else {
            return bytes.count == 10 ? seconds(year: year, month: month, day: day) : nil
        }
        guard let hour = number(bytes, 11, 2), bytes[13] == 0x3A, let minute = number(bytes, 14, 2), bytes[16] == 0x3A,
              let second = number(bytes, 17, 2), hour < 24, minute < 60, second < 61 else { return nil }
        var position = 19
        if position < bytes.count, bytes[position] == 0x2E {
            position += 1
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
        }
        var offset: Int64 = 0
        if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D {
            guard let hours = number(bytes, position + 1, 2) else { return nil }
            let minutesAt = bytes.count > position + 3 && bytes[position + 3] == 0x3A ? position + 4 : position + 3
            let minutes = number(bytes, minutesAt, 2) ?? 0
            offset = Int64(hours * 3600 + minutes * 60) * (bytes[position] == 0x2B ? 1 : -1)
        }
        return seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second) - offset
    }

    /// Easify's `MM-DD-YYYY hh:mm:ss AM/PM`. Nil when it is not one.
    public static func easify(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, let month = number(bytes, 0, 2), bytes[2] == 0x2D, let day = number(bytes, 3, 2),
              bytes[5] == 0x2D, let year = number(bytes, 6, 4), valid(year, month, day) else { return nil }
        guard bytes.count >= 22 else { return bytes.count == 10 ? seconds(year: year, month: month, day: day) : nil }
        guard let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
              (1...12).contains(hour), minute < 60, second < 61 else { return nil }
        let meridiem = bytes[20] | 0x20
        guard meridiem == 0x61 || meridiem == 0x70 else { return nil }
        let hour24 = hour % 12 + (meridiem == 0x70 ? 12 : 0)
        return seconds(year: year, month: month, day: day, hour: hour24, minute: minute, second: second)
    }

    private static func valid(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        (1...12).contains(month) && (1...31).contains(day) && year > 0
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}
