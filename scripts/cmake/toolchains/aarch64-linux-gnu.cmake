# Raspberry Pi OS 64-bit: cross-build against Debian's multiarch arm64 -dev
# packages (dpkg --add-architecture arm64; scripts/setup-deps --cross).
# Tests run under qemu-aarch64 through CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(KIOSK_TRIPLET aarch64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/multiarch.cmake)
