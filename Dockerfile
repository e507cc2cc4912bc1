# Saraban: official Thai documents as PDF and DOCX.
# docker build -t saraban . && docker run -p 3000:3000 -v saraban-data:/data saraban
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
# poppler-utils draws the upload page's previews; nothing is fetched at run time.
RUN apt-get update && apt-get install -y --no-install-recommends poppler-utils \
  && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown node:node /data
ENV NODE_ENV=production PORT=3000 SARABAN_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY fonts ./fonts
COPY templates ./templates
COPY examples ./examples
COPY src/web/public ./src/web/public
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/server.js"]
