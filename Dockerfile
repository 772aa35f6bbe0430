# Build:  docker build -t foresight:dev .
# Run:    docker run --rm foresight:dev --help
#
# Stage 1 builds the executable jar with the Maven wrapper; stage 2 runs it on a slim JRE as a
# non-root user with nothing but the jar.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY policy/ policy/
COPY external-scaler/ external-scaler/
COPY metrics-api/ metrics-api/
COPY simulations/ simulations/
COPY controller/ controller/
RUN ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 65532 --no-create-home foresight
COPY --from=build /src/controller/target/foresight.jar /app/foresight.jar
USER 65532:65532
# gRPC external scaler, external metrics API (HTTPS), /metrics and /decisions.
EXPOSE 9443 6443 8080
ENTRYPOINT ["java", "-XX:+UseContainerSupport", "-XX:MaxRAMPercentage=75", "-jar", "/app/foresight.jar"]
CMD ["run"]
