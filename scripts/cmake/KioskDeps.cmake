# Dependencies as Debian 12 / Raspberry Pi OS ship them. mbedtls 2.28 has no
# pkg-config file there, so it is found by header and library.
find_package(PkgConfig REQUIRED)

function(kiosk_pkg target module)
    pkg_check_modules(${target}_PC REQUIRED IMPORTED_TARGET ${module})
    add_library(kiosk::${target} ALIAS PkgConfig::${target}_PC)
    set(${target}_VERSION ${${target}_PC_VERSION} PARENT_SCOPE)
endfunction()

kiosk_pkg(sqlite3 sqlite3)
kiosk_pkg(jansson jansson)
kiosk_pkg(curl libcurl)
kiosk_pkg(qrencode libqrencode)
kiosk_pkg(png libpng)
kiosk_pkg(inih inih)
kiosk_pkg(gpiod libgpiod)
set(KIOSK_GPIOD_VERSION ${gpiod_VERSION} CACHE INTERNAL "")

find_path(MBEDTLS_INCLUDE_DIR mbedtls/ecp.h REQUIRED)
find_library(MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)
find_library(MBEDX509_LIBRARY mbedx509 REQUIRED)
find_library(MBEDTLS_LIBRARY mbedtls REQUIRED)
add_library(kiosk::mbedcrypto INTERFACE IMPORTED)
target_include_directories(kiosk::mbedcrypto INTERFACE ${MBEDTLS_INCLUDE_DIR})
target_link_libraries(kiosk::mbedcrypto INTERFACE ${MBEDCRYPTO_LIBRARY})
add_library(kiosk::mbedtls INTERFACE IMPORTED)
target_link_libraries(kiosk::mbedtls INTERFACE
    ${MBEDTLS_LIBRARY} ${MBEDX509_LIBRARY} kiosk::mbedcrypto)

set(KIOSK_UNIFONT_PATH "/usr/share/unifont/unifont.hex" CACHE FILEPATH
    "GNU Unifont .hex glyph file (Debian package unifont)")
