#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    wikistamp_fuzz::check_target(&wikistamp_fuzz::text_of(data));
});
