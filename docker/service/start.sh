#!/bin/bash
# The service's JVM with the launcher's flags: DJL never downloads (libtorch comes from the native jar in lib/
# and is unpacked under /var/cache/facestream/djl). The vector module gives Lucene's gallery and history
# indexes their SIMD dot product (Java 21, the image's). JAVA_OPTS adds flags, e.g. a heap limit.
exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED ${IMAGE_JVM_FLAGS:-} ${JAVA_OPTS:-} \
  -Dai.djl.offline=true -DDJL_CACHE_DIR=/var/cache/facestream/djl -Djava.io.tmpdir=/tmp \
  -Dlogback.configurationFile=/opt/facestream/logback.xml \
  -cp '/opt/facestream/app/*:/opt/facestream/lib/*' "$MAIN_CLASS" "$@"
