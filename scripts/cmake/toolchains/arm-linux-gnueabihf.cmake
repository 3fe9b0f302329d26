# Raspberry Pi OS 32-bit: cross-build against Debian's multiarch armhf -dev
# packages (dpkg --add-architecture armhf, then the -dev packages :armhf).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(KIOSK_TRIPLET arm-linux-gnueabihf)
include(${CMAKE_CURRENT_LIST_DIR}/multiarch.cmake)
