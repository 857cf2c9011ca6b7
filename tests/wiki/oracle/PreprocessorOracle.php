<?php
// The preprocessor oracle: test-only settings for the wiki started by
// tests/wiki/test_preprocessor_oracle.py (never for a real wiki).
//
// The wiki loads Cite and Poem like every local wiki; this adds the tag <preprocessororacle/>. A
// template whose text is that tag records, for every call MediaWiki makes to it, the template
// title and the arguments MediaWiki passes, in the order of PPTemplateFrame_Hash::getArguments
// (positional first, then named): key and value as passed (strip markers written as
// ⧼tag⧽ with the tag name in lowercase, a nowiki marker as ⧼nowiki:content⧽), and the source
// of the value
// (PPFrame::NO_ARGS | NO_TEMPLATES | NO_TAGS | STRIP_COMMENTS, the inserted line breaks of
// <poem> unstripped).
// A call is recorded when it starts, so a call in a parameter comes after the call holding it.
// Call number N reaches the API as the JavaScript config variable "preprocessorOracleNNNNN"
// (action=parse&prop=jsconfigvars), set once the call has read its arguments.

$wgHooks['ParserFirstCallInit'][] = static function ( Parser $parser ) {
	$parser->setHook( 'preprocessororacle', 'wfPreprocessorOracleRecord' );
};

function wfPreprocessorOracleNormalize( Parser $parser, string $text ): string {
	return preg_replace_callback(
		'/\x7f\'"`UNIQ--(.+?)-(?:[0-9A-F]{8}|[0-9]+-)-QINU`"\'\x7f/',
		static function ( array $m ) use ( $parser ) {
			// The marker holds the tag name as written; MediaWiki dispatches on it lowercased.
			$name = strtolower( $m[1] );
			if ( $name === 'nowiki' ) {
				return "\u{29FC}nowiki:" . $parser->getStripState()->unstripNoWiki( $m[0] ) . "\u{29FD}";
			}
			return "\u{29FC}" . $name . "\u{29FD}";
		},
		$text
	);
}

function wfPreprocessorOracleRecord( $content, array $attribs, Parser $parser, PPFrame $frame ) {
	if ( !( $frame instanceof PPTemplateFrame_Hash ) ) {
		return '';
	}
	$output = $parser->getOutput();
	$calls = $output->getExtensionData( 'preprocessorOracle' ) ?? [];
	$slot = count( $calls );
	$calls[] = null;
	$output->setExtensionData( 'preprocessorOracle', $calls );
	$arguments = [];
	foreach ( $frame->getArguments() as $key => $value ) {
		$named = !isset( $frame->numberedArgs[$key] );
		$node = $named ? $frame->namedArgs[$key] : $frame->numberedArgs[$key];
		$source = $frame->parent->expand(
			$node,
			PPFrame::NO_ARGS | PPFrame::NO_TEMPLATES | PPFrame::NO_TAGS | PPFrame::STRIP_COMMENTS
		);
		$source = $parser->getStripState()->unstripBoth( $source );
		$arguments[] = [
			is_int( $key ) ? $key : wfPreprocessorOracleNormalize( $parser, $key ),
			wfPreprocessorOracleNormalize( $parser, $value ),
			$named ? trim( $source ) : $source,
		];
	}
	$output->setJsConfigVar(
		sprintf( 'preprocessorOracle%05d', $slot ),
		[ 'title' => $frame->title->getPrefixedText(), 'arguments' => $arguments ]
	);
	return '';
}
